"""A short label of what a figure measures, from the words around it.

"41 homicides" -> "homicides"; "57% of incidents being responded to within 15 minutes"
-> "incidents being responded to within 15 minutes"; "The median response time for
these incidents was 12 minutes" -> "median response time for these incidents". A label
that says little ("incidents", "the volume") is qualified by the sentence's topic or the
topic carried from the sentences before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .vocabulary import vocabulary

_WORDS = vocabulary().label_words  # the word lists of patterns/labels.yml
STOP_AFTER = _WORDS.around("stop_after", r"^(?:{words})$")
LEAD = _WORDS.around("lead_words", r"^(?:\W|{words})\b\s*")
VERB = _WORDS.around("subject_verbs", r"\b(?:{words})\b", flags=re.NOFLAG)
FUNCTION_WORDS = frozenset(_WORDS.lists["function_words"])
TIME_UNIT = _WORDS.around("duration_units", r"(?:{words})")
RATE_LEAD = _WORDS.around("rate_periods", r"^\s*(?:a|an|per|each|every)\s+(?:{words})\b")
LEADING_SKIP = frozenset(_WORDS.lists["leading_skip"])
TRAILING = _WORDS.around("trailing_words", r"(?:\s+(?:{words}))+\s*$")
GENERIC = frozenset(_WORDS.lists["generic"])
PRONOUN_SUBJECT = _WORDS.around("pronoun_subjects", r"^\W*(?:{words})\b")
ADVERB_LEAD = re.compile(r"^\s*\w+ly,\s*", re.IGNORECASE)
# "Since the start of the project last year, vehicle crime ...": the clause before the subject
LEAD_CLAUSE = _WORDS.around("lead_clause_words", r"^\s*(?:{words})\b[^,;:]{{0,80}},\s*(?=[A-Za-z])")
GOAL_ANY = _WORDS.around("goal_verbs", r"\b(?:to\s+)(?:{words})\s+(.{{3,80}}?)\s+(?:by|to)\b")
FOR_TOPIC = _WORDS.around("topic_leads", r"^\W*(?:{words})\s+([^,]{{3,80}}),")
# "1,240 fewer victims": a comparative after a figure is not the thing counted
COMPARATIVE_LEAD = _WORDS.around("comparative_leads", r"^\s*(?:{words})\s+(?!than\b)(?=[A-Za-z])")
# "999 calls", "P1 incidents": digits that are part of a name, not a figure
NUMBER_NAME = _WORDS.around("service_numbers", r"[A-Z]+\d|{words}", flags=re.NOFLAG)
SERVICE_NUMBER = _WORDS.around("service_numbers", r"^(?:{words})\b", flags=re.NOFLAG)
# where a sentence's clauses part: "; ", ": ", ", while ..."
CLAUSE_SPLIT = _WORDS.around("clause_openers", r"[;:]|,\s+(?=(?:{words})\b)", flags=re.NOFLAG)
# "recorded as burglary": the copula before a subject's noun
COPULA_LEAD = _WORDS.around("copula_leads", r"^\s*(?:{words})\s+", flags=re.NOFLAG)
# "driven by burglary (+8%)": the cause named before a bracketed figure is what it measures
CAUSE_SPLIT = _WORDS.around("cause_words", r"\b(?:{words})\b", flags=re.NOFLAG)
# "a good level of confidence": the level words before what is measured
LEVEL_OF = _WORDS.around(
    "level_adjectives", r"^\s*(?:an?|the)?\s*(?:{words})?\s*(?:levels?|rates?|volumes?|numbers?)\s+of\s+"
)
# "and robbery down 9%": the words before a list item's name
LIST_ITEM_LEAD = _WORDS.around("list_item_leads", r"^(?:{words})\s+")
# "hotspots, which ...": a comma that opens a clause ends a label part
COMMA_CLAUSE = _WORDS.around("comma_clause_words", r",\s+(?:{words})\b", flags=re.NOFLAG)
TAG = re.compile(r"<[^>]{1,20}>|\^\{[^}]*\}|[*_]{1,2}")


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    t = TAG.sub("", text)
    t = re.sub(r"\s+—\s+.*$", "", t)  # "Detect Robbery — chart ▼ — breakdown ..."
    t = re.sub(r"[▼▲►•]", "", t)
    t = re.sub(r"\s+", " ", t).strip(" ,;:.-–(")
    while t.count("(") > t.count(")"):
        t = t[: t.rindex("(")].rstrip(" ,;:.-–(")
    return t


def phrase_after(sentence: str, end: int, limit: int = 9) -> str:
    """The noun phrase after a figure: "138,804 P1 immediate response incidents." -> that phrase."""
    tail = sentence[end:]
    tail = re.sub(r"^\s*\([^)]{0,60}\)", "", tail)  # "(+0.8%)"
    tail = re.sub(r"^\s*(?:of\s+(?:all\s+|the\s+)?)", " ", tail, flags=re.IGNORECASE)
    # "1,240 fewer victims of burglary": the comparative is not the thing counted
    tail = COMPARATIVE_LEAD.sub(" ", tail)
    tail = RATE_LEAD.sub(" ", tail)  # "100 a day": how often, not what is counted
    m = re.match(r"^[^,;:.()\n]*", tail)
    words = (m.group() if m else "").split()
    out: list[str] = []
    for k, w in enumerate(words[:limit]):
        bare = w.strip("'\"’‘“”")
        if re.search(r"\d", bare) and not NUMBER_NAME.fullmatch(bare):
            if out and k + 1 < len(words) and TIME_UNIT.fullmatch(words[k + 1]):
                out.append(bare)  # "responded to within 60 minutes"
                continue
            if out:
                break
            continue  # "of the 500 regional requirement for CBRN Responders"
        if STOP_AFTER.match(bare) and (
            out
            or bare.lower() in ("was", "were", "is", "are", "has", "have", "had", "which", "that", "compared", "than")
        ):
            if (
                bare.lower() in ("to", "within", "of", "and", "in", "by", "for", "on", "with")
                and out
                and len(out) < limit - 1
            ):
                out.append(bare)
                continue
            break
        if not out and bare.lower() in LEADING_SKIP:
            continue
        if STOP_AFTER.match(bare) and not out:
            break
        out.append(bare)
    while out and STOP_AFTER.match(out[-1]):
        out.pop()
    return clean(" ".join(out))


def subject_before(sentence: str, start: int) -> str:
    """The subject of the clause holding the figure: "The median response time ... was" -> it."""
    head = sentence[:start]
    clauses = CLAUSE_SPLIT.split(head)
    head = clauses[-1] if clauses else head
    verbs = list(VERB.finditer(head))
    if not verbs:
        return ""
    k = len(verbs) - 1
    while k and not head[verbs[k - 1].end() : verbs[k].start()].strip(" ,"):
        k -= 1  # "has increased": the verb group starts at "has"
    subj = head[: verbs[k].start()]
    cut = list(CONJUNCTION.finditer(subj))
    if cut:
        rest = subj[cut[-1].end() :]
        if not rest.strip() and cut[-1].group().lower() in ("which", "that"):
            # "... Public Order offences which has increased by 8,165": the noun "which" stands for
            head = subj[: cut[-1].start()]
            earlier = [c for c in cut[:-1] if c.end() <= len(head)]
            rest = head[earlier[-1].end() :] if earlier else head
            words = rest.split()
            verb = list(VERB.finditer(rest))
            if verb:
                rest = rest[verb[-1].end() :]
            elif len(words) > 5:
                rest = " ".join(words[-5:])
            rest = COPULA_LEAD.sub("", rest)
        subj = rest
    return tidy_subject(subj)


CONJUNCTION = _WORDS.around("conjunctions", r"\b(?:{words})\b|[,;:(]")


def tidy_subject(subj: str) -> str:
    """Strip the lead words, period phrases and trailing prepositions of a subject."""
    subj = re.sub(r"\s*\b(?:the\s+)?(?:last|first|previous)\s+\d+\s+months?\b.*$", "", subj, flags=re.IGNORECASE)
    for _ in range(4):
        new = LEAD.sub("", subj.strip())
        if new == subj.strip():
            break
        subj = new
    words = subj.split()
    if len(words) > 10:
        words = words[:10]
    return clean(TRAILING.sub("", " ".join(words)))


def first_clause_subject(sentence: str) -> str:
    """The subject of a sentence's first clause: the words before its first verb."""
    head = CLAUSE_SPLIT.split(sentence)[0]
    m = VERB.search(head)
    return tidy_subject(head[: m.start()]) if m else ""


OF_BEFORE = _WORDS.around(
    "of_hedges", r"([A-Za-z][\w'’ -]{{2,60}}?)\s+(?:of|at|was|is|were)\s+(?:(?:{words})\s+)?$", flags=re.NOFLAG
)


def of_phrase_before(sentence: str, start: int, floor: int = 0) -> str:
    """ "a satisfaction rate of 88%" -> "satisfaction rate"; "an average of 1,629" -> "average"."""
    head = sentence[floor:start]
    head = re.split(r"[,;:()]", head)[-1]
    m = OF_BEFORE.search(head)
    if not m:
        return ""
    words = m.group(1).split()[-5:]
    while words and words[0].lower() in FUNCTION_WORDS:
        words = words[1:]
    return clean(" ".join(words))


def words_before(sentence: str, start: int, floor: int = 0) -> str:
    """A short verbless label right before the figure: "; Arrived 81%" -> "Arrived"."""
    head = re.split(r"[,;:()]", sentence[floor:start])[-1]
    words = head.split()
    if (
        not 1 <= len(words) <= 5
        or VERB.search(head)
        or STOP_AFTER.match(words[-1])
        or words[-1].lower() in FUNCTION_WORDS
    ):
        return ""
    while words and words[0].lower() in FUNCTION_WORDS:
        words = words[1:]
    return clean(" ".join(words))


@lru_cache(maxsize=8192)
def is_generic(label: str) -> bool:
    words = [w.lower().strip("'’") for w in label.split()]
    return not words or all(w in GENERIC or len(w) < 3 for w in words)


def sentence_topic(sentence: str) -> str:
    """The topic a sentence states for what follows: "For P2 Priority Response incidents, ..."."""
    m = FOR_TOPIC.match(sentence)
    if m:
        t = m.group(1)
        v = VERB.search(t)
        return clean(TRAILING.sub("", t[: v.start()] if v else t))
    head = LEAD_CLAUSE.sub("", ADVERB_LEAD.sub("", sentence))
    if PRONOUN_SUBJECT.match(head):
        return ""
    goal = GOAL_ANY.search(head)
    if goal:
        return clean(goal.group(1))
    subj = first_clause_subject(head)
    return subj if not is_generic(subj) else ""


GOAL = _WORDS.around("goal_verbs", r"\b(?:{words})\s+(.{{3,80}}?)\s+(?:by|to)\s+(?:\w+\s+)?$")
CHANGE_NOUN = _WORDS.around(
    "change_nouns",
    r"^\s*(?:\([^)]{{0,60}}\)\s*)?(?:{words})?\s*(?:in|of|on|for)\s+(?:the\s+)?(?:number|volume|level|rate)?\s*(?:of\s+)?",
)


def goal_object(sentence: str, start: int) -> str:
    """ "Milestone to reduce Burglary Dwelling by 8 per cent" -> "Burglary Dwelling"."""
    m = GOAL.search(sentence[:start])
    return clean(m.group(1)) if m else ""


PARTICIPLE_OBJECT = _WORDS.around(
    "change_participles",
    r"\b(?:{words})\s+"
    r"(?P<np>(?!the\s+number\b)[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){{0,4}}?)\s+"
    r"(?:from\s+[^,;()]{{1,30}}?\s+to|from|to|by)\s+(?:almost\s+|around\s+|about\s+|over\s+)?$",
)
CHANGE_IN = _WORDS.around(
    "change_in_nouns",
    r"\b(?:{words})\s+in\s+(?:the\s+)?"
    r"(?P<np>[A-Za-z][^,;()]{{1,50}}?)(?=\s+(?:on|during|in|over|since|across|for|of|at)\b|\s*[;,]|\s*$)",
)
LINKED_TO = _WORDS.around("link_words", r"^\s*(?:[\w-]+\s+){{0,2}}(?:were|was|are|is|being)\s+(?:{words})\s+to\s+")
BRACKET_BEFORE = re.compile(r"\(\s*(?:[+-]|up|down|circa|c\.)?\s*$", re.IGNORECASE)


def np_before_bracket(sentence: str, start: int, floor: int = 0) -> str:
    """ "increases in recorded Domestic Abuse (+38.9%" -> "recorded Domestic Abuse"; "a good
    level of confidence (71.8%)" -> "confidence": a bracketed figure measures the phrase before it."""
    m = BRACKET_BEFORE.search(sentence[floor:start])
    if not m:
        return ""
    head = sentence[floor : floor + m.start()]
    head = re.split(r"[,;:()]|\s[–—-]\s", head)[-1]
    verbs = list(VERB.finditer(head))
    if verbs:
        head = head[verbs[-1].end() :]
    head = CAUSE_SPLIT.split(head)[-1]
    head = CHANGE_NOUN.sub("", " " + head.strip()) if CHANGE_NOUN.match(" " + head.strip()) else head
    head = LEVEL_OF.sub("", head.strip())
    words = head.split()[-6:]
    while words and words[0].lower() in FUNCTION_WORDS:
        words = words[1:]
    t = clean(" ".join(words))
    return "" if is_generic(t) else t


def _phrase_after(rest: str, after: str, unit: str) -> list[str]:
    """The noun phrase after a figure that names what it counts: "41 homicides", "a 31%
    reduction in burglary" (the words after the change noun), "57% of incidents"."""
    if unit in ("count", "GBP", "other", "days"):
        return [after] if after and not is_generic(after) else []
    lead = CHANGE_NOUN.match(rest) if unit in ("percent", "ratio", "rank", "per_million", "per_1000") else None
    if lead and lead.end():
        ph = phrase_after(" " + rest[lead.end() :], 0)
        return [ph] if ph and not is_generic(ph) else []
    if unit in ("percent", "rank", "ratio") and after and not is_generic(after):
        return [after]
    return []


# "theft down 4%, robbery down 9%": an item of a verbless list names what its figure counts
LIST_ITEM = re.compile(
    r"(?:^|[,;:•]\s*|\band\s+|\s[–—-]\s+)(?P<np>[A-Za-z][\w'’ -]{1,50}?)\s+(?:(?:is|was|are|were)\s+)?"
    r"(?:down|up)(?:\s+by)?\s*(?:almost|around|about|nearly|over|some)?\s*$",
    re.IGNORECASE,
)


def list_item_before(sentence: str, start: int, floor: int = 0) -> str:
    """The item of a verbless list the figure at ``start`` belongs to ("robbery down 9%")."""
    m = LIST_ITEM.search(sentence[floor:start])
    if not m:
        return ""
    item = clean(LIST_ITEM_LEAD.sub("", m.group("np").strip()))
    return "" if is_generic(item) or VERB.search(f" {item} ") else item


# "Personal robbery: 412 offences": the name before a colon is what the figures after it count
COLON_LEAD = re.compile(r"(?:^|[.;]\s+)(?P<np>[A-Z][\w'’ ()-]{2,60}?)\s*:\s*(?:[^:;.]{0,30}?\s)?$")


@lru_cache(maxsize=8192)
def main_phrase(sentence: str, start: int, end: int, unit: str, floor: int = 0) -> str:
    """The words of the sentence that name what the figure at ``start:end`` measures."""
    item = list_item_before(sentence, start, floor)
    if item:
        return item
    lead = COLON_LEAD.search(sentence[:start])
    np = lead.group("np") if lead else ""
    if np and not is_generic(np) and not VERB.search(f" {np} ") and not not_a_name(np):
        return clean(np)
    rest = sentence[end:]
    after = phrase_after(sentence, end)
    parts = _phrase_after(rest, after, unit)
    obj = PARTICIPLE_OBJECT.search(sentence[max(0, start - 120) : start])
    if obj:  # "reducing average answering times from 10 minutes to 45 seconds"
        parts.insert(0, clean(obj.group("np")))
    bracketed = np_before_bracket(sentence, start, floor)
    if bracketed:
        parts.insert(0, bracketed)
    linked = LINKED_TO.match(rest)
    if linked:  # "2,164 cases were linked to drug trafficking"
        linked_to = phrase_after(" " + rest[linked.end() :], 0)
        if linked_to and not is_generic(linked_to):
            parts.insert(0, linked_to)
    head = LEAD_CLAUSE.sub("", ADVERB_LEAD.sub("", sentence[:start]))
    subject = subject_before(head, len(head))
    for cand in (
        goal_object(sentence, start),
        of_phrase_before(sentence, start, floor),
        words_before(sentence, start, floor),
        subject,
    ):
        if (
            cand
            and not is_generic(cand)
            and not _base_junk().search(clean(cand))
            and all(cand.lower() not in p.lower() for p in parts)
            and len(parts) < 2
        ):
            parts.append(cand)
    if not parts and after and not is_generic(after):
        parts.append(after)
    if not parts:  # "there was a reduction in VWI on the additional patrol days ; circa -6.3%"
        changed = list(CHANGE_IN.finditer(sentence[max(0, start - 120) : start]))
        if changed:
            parts.append(clean(changed[-1].group("np")))
    return "; ".join(_distinct(parts))


def _base_junk() -> re.Pattern[str]:
    """The ``not_names`` of the base ``labels.yml`` (a byline, a person, a role): never a
    subject that names what a figure counts."""

    return vocabulary().not_name


def not_a_name(phrase: str) -> bool:
    """Whether ``phrase`` is a byline, a person or a role (``not_names`` of ``labels.yml``)."""
    return bool(phrase) and bool(_base_junk().search(clean(phrase)))


def _distinct(parts: list[str]) -> list[str]:
    """Drop parts another part already says ("response time" beside "median response time")."""
    out: list[str] = []
    said: list[str] = []  # the kept parts, lower case
    for p in sorted(parts, key=len, reverse=True):
        low = p.lower()
        if not any(low in q for q in said):
            out.append(p)
            said.append(low)
    return [p for p in parts if p in out]


DANGLING = _WORDS.around("dangling_words", r"(?:[\s,;:&>–—-]+|\s+(?:{words}))+$")
LEADING_FIGURE = re.compile(
    r"^(?:(?:[£+-]?\d[\d,.]*\s*(?:%|per\s*cent|k|m|bn)?|circa|almost|around|about|over|some)\s+)+"
    r"(?:of\s+(?:the\s+|all\s+)?)?(?=[A-Za-z0-9])",
    re.IGNORECASE,
)
CLAUSE_WORD = _WORDS.around("clause_words", r"\b(?:{words})\b")
INNER_FIGURE = re.compile(
    r"(?:(?:^|\s+)(?:by|of|to|at|from|with)?\s*(?:almost|around|about|circa|over|nearly)?\s*)[£+-]?\d[\d,.]*\s*(?:%|per\s*cent)"
)
FIGURE_AFTER = re.compile(
    r"\s+(?:of|at|to|by)\s+(?:around\s+|about\s+|over\s+|almost\s+)?[£$]?\d[\d,.]*\s*(?:%|m|bn|k|million|billion)?$",
    re.IGNORECASE,
)
PRONOUN_WORD = _WORDS.around("pronouns", r"\b(?:{words})\b")


@lru_cache(maxsize=8192)
def tidy_part(part: str) -> str:
    """A label part as a noun phrase: no leading figure ("57 hotspots" -> "hotspots"), no
    dangling words ("999 calls now" -> "999 calls"), no clause ("evaluation states it" -> "").

    Digits the phrase names are kept when they are names ("999 calls", "P1 incidents").
    """
    t = clean(part)
    t = FIGURE_AFTER.sub("", t)  # "Savings of £6.8m" -> "Savings": a label holds no figure
    t = re.split(r",\s+", t)[0] if COMMA_CLAUSE.search(t) else t
    if not SERVICE_NUMBER.match(t):
        t = LEADING_FIGURE.sub("", t)
    for _ in range(3):
        t = clean(DANGLING.sub("", t))
    num = INNER_FIGURE.search(t)
    if num:  # "crime in the West Midlands by almost 20%": the figure is not part of the name
        before, after = _np(t[: num.start()]), _np(t[num.end() :])
        t = before if before and not is_generic(before) else after
    cut = CLAUSE_WORD.search(t) or PRONOUN_WORD.search(t)
    if cut:  # "planned course spaces stated for ..." -> the noun phrase before the clause
        before, after = _np(t[: cut.start()]), _np(t[cut.end() :])
        t = before if before and not is_generic(before) else after
        if CLAUSE_WORD.search(t) or PRONOUN_WORD.search(t):
            return ""
    if not t or is_generic(t):
        return ""
    if t.count(")") > t.count("("):
        t = t.replace(")", "")
    return t


@lru_cache(maxsize=8192)
def _np(text: str) -> str:
    """``text`` without its leading and trailing function words."""
    t = re.sub(
        r"^(?:(?:in\s+addition\s+to|after|before|as|to|the|a|an|of|for|in|with|and|at|on|by|from)(?:\s+|$))+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    for _ in range(3):
        t = clean(DANGLING.sub("", t))
    return t


BACK_REFERENCE = re.compile(
    r"^(?P<head>.*?)\s*\b(?:for|of|in|among|amongst|across)?\s*\b(?:these|those|such)\s+(?:particular\s+)?"
    r"(?P<noun>[\w-]+(?:\s+types?)?)(?P<tail>.*)$",
    re.IGNORECASE,
)


_REFERS_BACK = re.compile(r"\b(?:these|those|such)\s", re.IGNORECASE)  # what BACK_REFERENCE needs


def resolve_reference(label: str, antecedent: str) -> str:
    """ "median response time for these incidents" -> "P2 Priority Response incidents: median
    response time": a back-reference takes the population the text named before it."""
    if not antecedent or not _REFERS_BACK.search(label):  # the cheap tests first: most labels refer to nothing
        return label
    m = BACK_REFERENCE.match(label)
    if not m or ANAPHORIC.search(antecedent):
        return label
    head = _np(m.group("head"))
    tail = m.group("tail").strip()
    if tail and not tail.startswith("("):
        return label
    out = f"{antecedent}: {head}" if head and not is_generic(head) else antecedent
    return f"{out} {tail}".strip()


ANAPHORIC = _WORDS.around("anaphors", r"\b(?:{words})\b")


def measure_label(
    sentence: str,
    start: int,
    end: int,
    unit: str,
    topics: list[str],
    floor: int = 0,
    *,
    antecedent: str = "",
    attribute: re.Pattern[str] | None = None,
) -> str:
    """The label for the figure at ``sentence[start:end]``, qualified by ``topics`` (nearest first).

    ``floor`` is where the words about this figure may start (the end of the figure before);
    ``antecedent`` what "these incidents" in the label refers back to; ``attribute`` the
    board's measures of a population that name no population ("the median response time",
    ``Vocabulary.attribute``), which take the antecedent as their subject.
    """
    raw = main_phrase(sentence, start, end, unit, floor)
    raw = "; ".join(resolve_reference(p, antecedent) for p in raw.split("; ")) if raw else raw
    if antecedent and attribute and attribute.match(raw.split("; ")[0]) and not ANAPHORIC.search(antecedent):
        raw = f"{antecedent}: {raw}"  # "the SLA has improved": the SLA of the incidents named before
    parts = [q for q in (tidy_part(x) for x in raw.split("; ")) if q]
    label = "; ".join(_distinct(parts)) if parts else ""
    if not label and raw and not any(topics):
        label = clean(DANGLING.sub("", raw.split("; ")[0]))
    topics = [tidy_part(resolve_reference(t, antecedent)) for t in topics]
    qualifiers: list[str] = []
    subject = label.split(": ")[0].lower() if ": " in label else ""
    for t in topics:
        if not t or is_generic(t) or t.lower() in label.lower() or any(t.lower() in q.lower() for q in qualifiers):
            continue
        if subject and t.lower().startswith(subject):
            continue  # "P2 incidents: SLA" needs no "P2 incidents: median response time" beside it
        if label and label.lower() in t.lower():
            label = t  # the topic says the same, and more
            continue
        qualifiers.append(t)
        if len(qualifiers) >= 2:
            break
    if not label:
        return "; ".join(qualifiers[:2])[:160] or "figure"
    if qualifiers:
        label = f"{label} ({'; '.join(qualifiers)})"
    return label[:200]


def _keep_part(part: str, junk: re.Pattern[str]) -> bool:
    return bool(part.strip()) and not junk.search(part) and not is_generic(part)


@lru_cache(maxsize=8192)
def polish_label(label: str, junk: re.Pattern[str]) -> str:
    """A label without clause fragments beside its name ("homicides; data indicates" ->
    "homicides"; "current 2021 monthly; County Lines disruptions" -> "County Lines disruptions").
    ``junk`` is the clause pattern of the board's ``labels.yml`` words (``Vocabulary.junk_part``).
    The bracketed context is kept, and a part is dropped only when another remains."""
    m = re.match(r"^(?P<main>[^(]*?)(?P<ctx>\s*\(.*\))?$", label)
    if not m:
        return label
    parts = [p.strip() for p in m.group("main").split("; ")]
    kept = [p for p in parts if _keep_part(p, junk)]
    if not kept or len(kept) == len(parts):
        return label
    return "; ".join(kept) + (m.group("ctx") or "")

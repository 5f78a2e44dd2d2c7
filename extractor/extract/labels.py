"""A short label of what a figure measures, from the words around it.

"41 homicides" -> "homicides"; "57% of incidents being responded to within 15 minutes"
-> "incidents being responded to within 15 minutes"; "The median response time for
these incidents was 12 minutes" -> "median response time for these incidents". A label
that says little ("incidents", "the volume") is qualified by the sentence's topic or the
topic carried from the sentences before.
"""

from __future__ import annotations

import re

STOP_AFTER = re.compile(
    r"^(?:was|were|is|are|has|have|had|be|been|will|would|which|that|who|where|when|compared|than|"
    r"this|these|it|equating|equates|accounting|covering|since|during|between|from|while|whilst|"
    r"however|but|as|vs|versus|so|per|in|on|at|for|by|over|under|across|against|with|since|a|an|the|"
    r"and|to|there|its|their|year|month|months|ytd|up|down|higher|lower|more|less|fewer|reduction|increase)$",
    re.IGNORECASE,
)
LEAD = re.compile(
    r"^(?:\W|and|but|however|also|overall|in addition|additionally|this|these|it|there|the|a|an|of|for|in|"
    r"with|at|as at|whilst|while|since|during|over|from|that|which|levels of|volumes? of|number of|"
    r"proportion of|rate of|level of)\b\s*",
    re.IGNORECASE,
)
VERB = re.compile(
    r"\b(?:is|was|were|are|has|have|had|saw|sees|showed|shows|show|indicates?|suggests?|demonstrates?|highlights?|stood|remains?|remained|accounts?|accounted|"
    r"makes?|made|equated|equates|represents?|achieved|achieving|reached|increased|decreased|"
    r"reduced|fell|rose|will|can|could|would|comprises?|finished|ended|continues?|being)\b",
)
FUNCTION_WORDS = frozenset(
    "a an the with and of for this is was has have had been at in that which who to by on as from "
    "were are be it its their our".split()
)
TIME_UNIT = re.compile(r"(?:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?)", re.IGNORECASE)
LEADING_SKIP = frozenset("of the all a an on in for".split())
TRAILING = re.compile(
    r"(?:\s+(?:during|in|for|of|from|to|at|on|by|over|since|between|and|the|a|an|with))+\s*$", re.IGNORECASE
)
GENERIC = frozenset(
    "incidents offences crimes cases victims reports episodes volume volumes number numbers levels level "
    "figure figures total totals rate it this these they which there month months year years people "
    "the of all average time times quicker slower faster reduction reductions increase increases improvement "
    "improvements seen higher lower more fewer less baseline circa almost approx approximately about around "
    "final change changes difference".split()
)
PRONOUN_SUBJECT = re.compile(r"^\W*(?:this|these|it|they|which|that|those|there|such)\b", re.IGNORECASE)
ADVERB_LEAD = re.compile(r"^\s*\w+ly,\s*", re.IGNORECASE)
GOAL_ANY = re.compile(
    r"\b(?:to\s+)(?:reduce|increase|improve|achieve|maintain|raise|cut|lower)\s+(.{3,80}?)\s+(?:by|to)\b", re.IGNORECASE
)
FOR_TOPIC = re.compile(
    r"^\W*(?:for|regarding|with regards? to|in relation to|in terms of)\s+([^,]{3,80}),", re.IGNORECASE
)
TAG = re.compile(r"<[^>]{1,20}>|\^\{[^}]*\}|[*_]{1,2}")


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
    m = re.match(r"^[^,;:.()\n]*", tail)
    words = (m.group() if m else "").split()
    out: list[str] = []
    for k, w in enumerate(words[:limit]):
        bare = w.strip("'\"’‘“”")
        if re.search(r"\d", bare) and not re.fullmatch(r"P\d|[A-Z]+\d", bare):
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
    clauses = re.split(r"[;:]|,\s+(?=(?:with|and|while|whilst|however|but|which|this|compared)\b)", head)
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
        subj = subj[cut[-1].end() :]
    return tidy_subject(subj)


CONJUNCTION = re.compile(r"\b(?:and|but|which|that|while|whilst|where|when|however|than|as|so)\b|[,;:(]", re.IGNORECASE)


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
    head = re.split(r"[;:]|,\s+(?=(?:with|and|while|whilst|however|but|which|this|compared)\b)", sentence)[0]
    m = VERB.search(head)
    return tidy_subject(head[: m.start()]) if m else ""


OF_BEFORE = re.compile(
    r"([A-Za-z][\w'’ -]{2,60}?)\s+(?:of|at|was|is|were)\s+"
    r"(?:about\s+|around\s+|almost\s+|nearly\s+|approx\.?\s+|circa\s+)?$"
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
    head = ADVERB_LEAD.sub("", sentence)
    if PRONOUN_SUBJECT.match(head):
        return ""
    goal = GOAL_ANY.search(head)
    if goal:
        return clean(goal.group(1))
    subj = first_clause_subject(head)
    return subj if not is_generic(subj) else ""


GOAL = re.compile(
    r"\b(?:reduce|increase|improve|achieve|maintain|raise|cut|lower)\s+(.{3,80}?)\s+(?:by|to)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
CHANGE_NOUN = re.compile(
    r"^\s*(?:\([^)]{0,60}\)\s*)?(?:reduction|increase|decrease|rise|fall|drop|change|saving|higher|lower|more|fewer|less)?\s*"
    r"(?:in|of|on|for)\s+(?:the\s+)?(?:number|volume|level|rate)?\s*(?:of\s+)?",
    re.IGNORECASE,
)
ADVERB_LEAD = re.compile(r"^\s*\w+ly,\s*", re.IGNORECASE)


def goal_object(sentence: str, start: int) -> str:
    """ "Milestone to reduce Burglary Dwelling by 8 per cent" -> "Burglary Dwelling"."""
    m = GOAL.search(sentence[:start])
    return clean(m.group(1)) if m else ""


def main_phrase(sentence: str, start: int, end: int, unit: str, floor: int = 0) -> str:
    """The words of the sentence that name what the figure at ``start:end`` measures."""
    parts: list[str] = []
    rest = sentence[end:]
    after = phrase_after(sentence, end)
    if unit in ("count", "GBP", "other", "days") and after and not is_generic(after):
        parts.append(after)
    elif (
        unit in ("percent", "ratio", "rank", "per_million", "per_1000")
        and (lead := CHANGE_NOUN.match(rest))
        and lead.end()
    ):
        tail = rest[lead.end() :]
        ph = phrase_after(" " + tail, 0)
        if ph and not is_generic(ph):
            parts.append(ph)
    elif unit in ("percent", "rank", "ratio") and after and not is_generic(after):
        parts.append(after)
    head = ADVERB_LEAD.sub("", sentence[:start])
    subject = subject_before(head, len(head))
    for cand in (
        goal_object(sentence, start),
        of_phrase_before(sentence, start, floor),
        words_before(sentence, start, floor),
        subject,
    ):
        if cand and not is_generic(cand) and all(cand.lower() not in p.lower() for p in parts) and len(parts) < 2:
            parts.append(cand)
    if not parts and after and not is_generic(after):
        parts.append(after)
    return "; ".join(_distinct(parts))


def _distinct(parts: list[str]) -> list[str]:
    """Drop parts another part already says ("response time" beside "median response time")."""
    out: list[str] = []
    for p in sorted(parts, key=len, reverse=True):
        if not any(p.lower() in q.lower() for q in out):
            out.append(p)
    return [p for p in parts if p in out]


def measure_label(sentence: str, start: int, end: int, unit: str, topics: list[str], floor: int = 0) -> str:
    """The label for the figure at ``sentence[start:end]``, qualified by ``topics`` (nearest first).

    ``floor`` is where the words about this figure may start (the end of the figure before).
    """
    label = main_phrase(sentence, start, end, unit, floor)
    qualifiers: list[str] = []
    for t in topics:
        if not t or is_generic(t) or t.lower() in label.lower() or any(t.lower() in q.lower() for q in qualifiers):
            continue
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

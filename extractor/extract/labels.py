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
    r"\b(?:is|was|were|are|has|have|had|saw|sees|showed|shows|stood|remains?|remained|accounts?|accounted|"
    r"makes?|made|equated|equates|represents?|achieved|achieving|recorded|reached|increased|decreased|"
    r"reduced|fell|rose|will|can|could|would|comprises?|finished|ended|continues?|being)\b",
    re.IGNORECASE,
)
GENERIC = frozenset(
    "incidents offences crimes cases victims reports episodes volume volumes number numbers levels level "
    "figure figures total totals rate it this these they which there month months year years people "
    "the of all average time times".split()
)
PRONOUN_SUBJECT = re.compile(r"^\W*(?:this|these|it|they|which|that|those|there|such)\b", re.IGNORECASE)
FOR_TOPIC = re.compile(r"^\W*(?:for|regarding|with regards? to|in relation to|in terms of)\s+([^,]{3,80}),", re.IGNORECASE)
TAG = re.compile(r"<[^>]{1,20}>|\^\{[^}]*\}|[*_]{1,2}")


def clean(text: str) -> str:
    t = TAG.sub("", text)
    t = re.sub(r"\s+—\s+.*$", "", t)  # "Detect Robbery — chart ▼ — breakdown ..."
    t = re.sub(r"[▼▲►•]", "", t)
    t = re.sub(r"\s+", " ", t).strip(" ,;:.-–(")
    return t


def phrase_after(sentence: str, end: int, limit: int = 9) -> str:
    """The noun phrase after a figure: "138,804 P1 immediate response incidents." -> that phrase."""
    tail = sentence[end:]
    tail = re.sub(r"^\s*\([^)]{0,60}\)", "", tail)  # "(+0.8%)"
    tail = re.sub(r"^\s*(?:of\s+(?:all\s+|the\s+)?)", " ", tail, flags=re.IGNORECASE)
    m = re.match(r"^[^,;:.()\n]*", tail)
    words = (m.group() if m else "").split()
    out: list[str] = []
    for w in words[:limit]:
        bare = w.strip("'\"’‘“”")
        if re.search(r"\d", bare) and not re.fullmatch(r"P\d|[A-Z]+\d", bare):
            break
        if STOP_AFTER.match(bare) and (out or bare.lower() in ("was", "were", "is", "are", "has", "have", "had", "which", "that", "compared", "than")):
            if bare.lower() in ("to", "within", "of", "and", "in", "by", "for", "on", "with") and out and len(out) < limit - 1:
                out.append(bare)
                continue
            break
        if STOP_AFTER.match(bare) and not out:
            continue
        out.append(bare)
    while out and STOP_AFTER.match(out[-1]):
        out.pop()
    return clean(" ".join(out))


def subject_before(sentence: str, start: int) -> str:
    """The subject of the clause holding the figure: "The median response time ... was" -> it."""
    head = sentence[:start]
    clauses = re.split(r"[;:]|,\s+(?=(?:with|and|while|whilst|however|but|which|this|compared)\b)", head)
    head = clauses[-1] if clauses else head
    m = VERB.search(head)
    subj = head[: m.start()] if m else ""
    subj = re.sub(r"\s*\b(?:the\s+)?(?:last|first|previous)\s+\d+\s+months?\b.*$", "", subj, flags=re.IGNORECASE)
    for _ in range(4):
        new = LEAD.sub("", subj.strip())
        if new == subj.strip():
            break
        subj = new
    words = subj.split()
    if len(words) > 9:
        words = words[-9:]
    return clean(" ".join(words))


def of_phrase_before(sentence: str, start: int) -> str:
    """"a satisfaction rate of 88%" -> "satisfaction rate"; "an average of 1,629" -> "average"."""
    m = re.search(r"([A-Za-z][\w'’ -]{2,60}?)\s+(?:of|at|was|is|were)\s+(?:about\s+|around\s+|almost\s+|nearly\s+)?$", sentence[:start])
    if not m:
        return ""
    words = m.group(1).split()[-5:]
    while words and words[0].lower() in ("a", "an", "the", "with", "and", "of", "for", "this", "is", "was", "has", "been"):
        words = words[1:]
    return clean(" ".join(words))


def is_generic(label: str) -> bool:
    words = [w.lower().strip("'’") for w in label.split()]
    return not words or all(w in GENERIC or len(w) < 3 for w in words)


def sentence_topic(sentence: str) -> str:
    """The topic a sentence states for what follows: "For P2 Priority Response incidents, ..."."""
    m = FOR_TOPIC.match(sentence)
    if m:
        return clean(m.group(1))
    if PRONOUN_SUBJECT.match(sentence):
        return ""
    subj = subject_before(sentence, len(sentence))
    return subj if not is_generic(subj) else ""


def measure_label(sentence: str, start: int, end: int, unit: str, topic: str) -> str:
    """The label for the figure at ``sentence[start:end]``; ``topic`` qualifies generic ones."""
    after = phrase_after(sentence, end)
    before = of_phrase_before(sentence, start)
    subject = "" if PRONOUN_SUBJECT.match(sentence[:start]) else subject_before(sentence, start)
    local_topic = sentence_topic(sentence)
    parts: list[str] = []
    if unit in ("count", "GBP", "other") and after and not is_generic(after):
        parts.append(after)
    elif unit in ("percent", "ratio") and after and not is_generic(after) and re.match(r"^\s*(?:\([^)]*\)\s*)?of\b", sentence[end:]):
        parts.append(after)
    for cand in (before, subject):
        if cand and not is_generic(cand) and cand not in parts and len(parts) < 2:
            parts.append(cand)
    if not parts and after:
        parts.append(after)
    label = "; ".join(parts)
    qualifier = local_topic or topic
    if qualifier and (not parts or is_generic(label) or len(parts) == 1 and len(label.split()) <= 3) and qualifier.lower() not in label.lower():
        label = f"{qualifier}: {label}" if label else qualifier
    return label[:160] or "figure"

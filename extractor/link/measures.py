"""The measure catalogue and the phrase-to-measure linker.

``load_catalogue`` reads ``schema/measures.yml`` into ``Measure`` records.
``MeasureRuler`` is a spaCy component (factory ``"measure_linker"``) that marks
every catalogue phrase in a ``Doc``. ``MeasureLinker.link`` names the measure a
paper's phrase is about, helped by the section heading, the figure's unit and kind.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

import spacy
import srsly
import yaml
from rapidfuzz import fuzz, utils
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from ..models import UNITS
from ..resources import schema_dir
from .fuzzy import TokenSetIndex, scored

T = TypeVar("T")

# libyaml's safe loader is several times faster than the pure-Python one; same results
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_CATALOGUE = schema_dir() / "measures.yml"
LINKING_RULES = schema_dir() / "linking.yml"
BETTER = ("lower", "higher", "neither")
SPANS_KEY = "measures"
MIN_ALIAS_COVER = 0.5  # the share of an alias's words the phrase and the text around it must say
POOL_MARGIN = 10.0  # fuzzy candidates this close to the best score compete on the tie-breaks
LINK_CACHE_SIZE = 4096  # link results (by phrase and the words around it that count) kept per linker
PHRASE_CACHE_SIZE = 1024  # phrases whose candidate aliases are kept per linker
RELEVANT_CACHE_SIZE = 512  # per phrase: words known to match, or not, a candidate alias's words
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_STOP = frozenset(
    "a an and are as at be been by for from has have in into is it its of on or our s "
    "than that the their these this those to was were which with within".split()
)
_UNIT_GROUPS = ({"seconds", "days"}, {"per_million", "per_1000", "ratio"})


@dataclass(frozen=True)
class Measure:
    """One catalogue entry: what a figure can be a value, change or target of."""

    id: str
    name: str
    category: str
    description: str
    unit: str
    better: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # the broader measure this one is part of

    @property
    def phrases(self) -> tuple[str, ...]:
        """The name and the aliases, without repeats (case-insensitive)."""
        seen: dict[str, str] = {}
        for p in (self.name, *self.aliases):
            seen.setdefault(p.lower(), p)
        return tuple(seen.values())


# --------------------------------------------------------------------------- catalogue


def load_catalogue(path: str | Path | None = None) -> list[Measure]:
    """Read and validate the YAML catalogue; raise ``CatalogueError`` naming the file and
    line of a bad entry."""
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    if not p.is_file():
        raise FileNotFoundError(f"measure catalogue not found: {p}: pass the path of a measures.yml")
    text = p.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CatalogueError(f"{p}{line}: not valid YAML ({getattr(e, 'problem', e)}): fix the file") from e
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise CatalogueError(f"{p}: the catalogue needs a top-level 'measures:' list")
    measures: list[Measure] = []
    owners: dict[str, str] = {}
    for i, entry in enumerate(data["measures"]):
        try:
            measures.append(_checked_entry(entry, measures, owners))
        except CatalogueError as e:
            raise CatalogueError(f"{p}:{_entry_line(text, i)}: measure #{i + 1}{e}") from None
    _check_parents(measures, lambda i: f"{p}:{_entry_line(text, i)}: measure #{i + 1}")
    return measures


def _checked_entry(entry: Any, measures: list[Measure], owners: dict[str, str]) -> Measure:
    """One entry as a ``Measure``, its id and aliases checked against those before it.
    Errors start with what follows the entry's place: " ('x'): ..."."""
    m = _measure_from(entry, "")
    if any(m.id == other.id for other in measures):
        raise CatalogueError(f" ({m.id!r}): measure id {m.id!r} is used twice: ids must be unique")
    for phrase in m.phrases:
        owner = owners.setdefault(phrase.lower(), m.id)
        if owner != m.id:
            raise CatalogueError(
                f" ({m.id!r}): measure {m.id!r}: alias {phrase!r} already names {owner!r}: "
                "an alias may name one measure only"
            )
    return m


@dataclass(frozen=True)
class ResponseWords:
    """Words saying a figure counts a response to a crime, and the measure a bare one counts."""

    words: frozenset[str]
    generic: str | None = None


def load_linking_rules(path: str | Path | None = None) -> tuple[ResponseWords, ...]:
    """The linker's word lists (``schema/linking.yml``); raise ``CatalogueError`` naming the file."""
    p = Path(path) if path is not None else LINKING_RULES
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    groups = data.get("responses") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise CatalogueError(f"{p}: needs a top-level 'responses:' list of {{words: [...], generic: id}}")
    out = []
    for i, g in enumerate(groups):
        words = g.get("words") if isinstance(g, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise CatalogueError(f"{p}: responses #{i + 1}: 'words' must be a list of words")
        out.append(ResponseWords(frozenset(_stem(w.lower()) for w in words), g.get("generic")))
    return tuple(out)


class CatalogueError(ValueError):
    """A measure catalogue that cannot be used; the message names its file and line."""


def _entry_line(text: str, index: int) -> int:
    """The 1-based line where the ``index``-th entry of the ``measures:`` list starts (0 when
    the file's layout hides it). Only asked for an error message, so a slower parse is fine."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 0
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "measures" and isinstance(value, yaml.SequenceNode):
            if index < len(value.value):
                return int(value.value[index].start_mark.line) + 1
    return 0


def _check_parents(measures: Sequence[Measure], where: Callable[[int], str]) -> None:
    """Every ``parent`` names another measure of the catalogue, and no measure is its own ancestor."""
    by_id = {m.id: m for m in measures}
    for i, m in enumerate(measures):
        if m.parent is None:
            continue
        if m.parent not in by_id:
            raise CatalogueError(f"{where(i)} ({m.id!r}): parent {m.parent!r} is not a measure id of the catalogue")
        seen = {m.id}
        up: str | None = m.parent
        while up is not None:
            if up in seen:
                raise CatalogueError(f"{where(i)} ({m.id!r}): parents form a loop through {up!r}")
            seen.add(up)
            up = by_id[up].parent


def ancestors(measures: dict[str, Measure], measure_id: str) -> tuple[str, ...]:
    """The ids of ``measure_id``'s parent, its parent's parent, and so on."""
    out: list[str] = []
    up = measures[measure_id].parent if measure_id in measures else None
    while up is not None and up not in out:
        out.append(up)
        up = measures[up].parent if up in measures else None
    return tuple(out)


def _measure_from(entry: Any, where: str) -> Measure:
    """Build one ``Measure`` from a YAML mapping, checking each field."""
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping with id, name, unit, ... not {entry!r}")
    mid = entry.get("id")
    where = f"{where} ({mid!r})" if mid else where
    for key in ("id", "name", "category", "description", "unit", "better"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    if not _ID_RE.match(entry["id"]):
        raise CatalogueError(f"{where}: id must be snake_case (a-z, 0-9, _)")
    if entry["unit"] not in UNITS:
        raise CatalogueError(f"{where}: unit {entry['unit']!r} is not one of {', '.join(UNITS)}")
    if entry["better"] not in BETTER:
        raise CatalogueError(f"{where}: better {entry['better']!r} is not one of {', '.join(BETTER)}")
    parent = entry.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _ID_RE.match(parent)):
        raise CatalogueError(f"{where}: parent must be the snake_case id of another measure, not {parent!r}")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list):
        raise CatalogueError(f"{where}: aliases must be a list of phrases")
    for a in aliases:
        if not isinstance(a, str) or not a.strip():
            raise CatalogueError(f"{where}: alias {a!r} must be a non-empty string")
    return Measure(
        id=entry["id"],
        name=entry["name"].strip(),
        category=entry["category"].strip(),
        description=entry["description"].strip(),
        unit=entry["unit"],
        better=entry["better"],
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases)),
        parent=parent,
    )


# --------------------------------------------------------------------------- spaCy component


def _resolve_scorer(name: str) -> Callable[..., float]:
    scorer = getattr(fuzz, name, None)
    if not callable(scorer):
        raise ValueError(
            f"unknown rapidfuzz scorer {name!r}: use a rapidfuzz.fuzz function name such as 'token_set_ratio'"
        )
    return cast(Callable[..., float], scorer)


class MeasureRuler:
    """Marks catalogue phrases in a Doc as ``doc.spans["measures"]``, labelled by measure id.

    Matching is exact and case-insensitive (PhraseMatcher, attr="LOWER"); a match
    inside a longer match is dropped. Scores go in the span group's ``attrs["scores"]``.
    ``threshold`` and ``scorer`` configure the fuzzy stage of ``MeasureLinker``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "measure_linker",
        *,
        threshold: float = 85,
        scorer: str = "token_set_ratio",
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.threshold = float(threshold)
        self.scorer_name = scorer
        self.scorer = _resolve_scorer(scorer)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns: list[dict[str, str]] = []

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p["label"] for p in self.patterns))

    def add_patterns(self, patterns: Iterable[Measure | dict[str, str]]) -> None:
        """Add measures (their name and aliases) or ``{"label", "pattern"}`` dicts."""
        new: list[dict[str, str]] = []
        for item in patterns:
            if isinstance(item, Measure):
                new.extend({"label": item.id, "pattern": p} for p in item.phrases)
            else:
                new.append({"label": str(item["label"]), "pattern": str(item["pattern"])})
        for p in new:
            self.matcher.add(p["label"], [self.nlp.make_doc(p["pattern"])])
        self.patterns.extend(new)

    def match(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(measure id, start token, end token) of each match not inside a longer one."""
        found = {(self.nlp.vocab.strings[k], s, e) for k, s, e in self.matcher(doc)}
        keep = [
            (label, s, e)
            for label, s, e in found
            if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for _, s2, e2 in found)
        ]
        return sorted(keep, key=lambda t: (t[1], t[2], t[0]))

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=label) for label, s, e in self.match(doc)]
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans, attrs={"scores": [100.0] * len(spans)})
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``patterns.jsonl`` and ``cfg.json`` into the folder ``path``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(folder / "patterns.jsonl", self.patterns)
        srsly.write_json(folder / "cfg.json", {"threshold": self.threshold, "scorer": self.scorer_name})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> MeasureRuler:
        """Read what ``to_disk`` wrote, replacing the current patterns."""
        folder = Path(path)
        cfg = srsly.read_json(folder / "cfg.json") if (folder / "cfg.json").exists() else {}
        self.threshold = float(cfg.get("threshold", self.threshold))
        self.scorer_name = cfg.get("scorer", self.scorer_name)
        self.scorer = _resolve_scorer(self.scorer_name)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.patterns = []
        self.add_patterns(srsly.read_jsonl(folder / "patterns.jsonl"))
        return self


@Language.factory("measure_linker", default_config={"threshold": 85, "scorer": "token_set_ratio"})
def make_measure_linker(nlp: Language, name: str, *, threshold: float, scorer: str) -> MeasureRuler:
    return MeasureRuler(nlp, name, threshold=threshold, scorer=scorer)


# --------------------------------------------------------------------------- linker


def _stem(tok: str) -> str:
    if tok.endswith("sses"):
        return tok[:-2]
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
        return tok[:-1]
    return tok


@lru_cache(maxsize=1 << 14)
def _tokens(text: str) -> frozenset[str]:
    """Content words of ``text``: processed, stop words dropped, plurals folded."""
    return frozenset(_stem(t) for t in utils.default_process(text).split() if t not in _STOP)


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` the linker compares: lower case, stop words dropped, plurals folded."""
    return _tokens(text)


@lru_cache(maxsize=1 << 16)
def _same(a: str, b: str) -> bool:
    return a == b or (len(a) >= 5 and len(b) >= 5 and fuzz.ratio(a, b) >= 80)


@lru_cache(maxsize=1 << 16)
def _covered(tokens: frozenset[str], by: frozenset[str]) -> int:
    return sum(1 for t in tokens if any(_same(t, b) for b in by))


def unit_fits(figure_unit: str, measure_unit: str) -> bool:
    """Whether a figure in ``figure_unit`` can be a level of a measure in ``measure_unit``."""
    if figure_unit == measure_unit:
        return True
    return any(figure_unit in g and measure_unit in g for g in _UNIT_GROUPS)


class MeasureLinker:
    """Links a paper's phrase for a figure to a catalogue measure id, with a 0-100 score."""

    def __init__(self, measures: Sequence[Measure], *, threshold: float = 85, scorer: str = "token_set_ratio") -> None:
        self.measures = {m.id: m for m in measures}
        self.nlp = spacy.blank("en")
        self.ruler: MeasureRuler = self.nlp.add_pipe(  # type: ignore[assignment]
            "measure_linker", config={"threshold": threshold, "scorer": scorer}
        )
        self.ruler.add_patterns(measures)
        self._choices = [p["pattern"] for p in self.ruler.patterns]
        self._labels = [p["label"] for p in self.ruler.patterns]
        self._alias_tokens = [_tokens(c) for c in self._choices]
        self.responses = load_linking_rules()
        response_words = frozenset().union(*(r.words for r in self.responses))
        self._response_ids = frozenset(m.id for m in measures if any(_tokens(p) & response_words for p in m.phrases))
        self._processed_choices = [utils.default_process(c) for c in self._choices]
        self._index = TokenSetIndex(self._processed_choices)
        self._phrases: OrderedDict[tuple[Any, ...], _Phrase | tuple[str | None, float]] = OrderedDict()
        self._cache: OrderedDict[tuple[Any, ...], tuple[str | None, float]] = OrderedDict()
        self._mentions: OrderedDict[str, tuple[Mention, ...]] = OrderedDict()

    @property
    def threshold(self) -> float:
        return self.ruler.threshold

    @property
    def response_ids(self) -> frozenset[str]:
        """The measures that count a response to crime (detections, arrests, charges, ...)."""
        return self._response_ids

    @property
    def generic_responses(self) -> frozenset[str]:
        """The response measures a bare response word counts (``detections``, ``arrests``)."""
        return frozenset(r.generic for r in self.responses if r.generic)

    def response_words(self, text: str) -> str:
        """The response words of ``text`` ("charged", "detections"), in order, space-separated."""
        known = frozenset().union(*(r.words for r in self.responses))
        return " ".join(w for w in text.split() if _tokens(w) & known)

    def mentions(self, text: str) -> tuple[Mention, ...]:
        """The catalogue phrases ``text`` names word for word, in order: "levels of hospital
        admissions for under 25s with sharp object wounding have reduced" names
        ``hospital_admissions_u25_sharp_object`` there. Cached per text (a paragraph is asked
        once per figure)."""

        def find() -> tuple[Mention, ...]:
            doc = self.nlp.make_doc(text)
            return tuple(
                Mention(label, doc[s:e].start_char, doc[s:e].end_char, doc[s:e].text)
                for label, s, e in self.ruler.match(doc)
            )

        return _lru_get(self._mentions, text, find, RELEVANT_CACHE_SIZE)

    def link(
        self,
        phrase: str,
        section: str | None = None,
        context: str | None = None,
        unit: str | None = None,
        kind: str | None = None,
    ) -> tuple[str | None, float]:
        """Return ``(measure_id, score)``, or ``(None, score)`` when nothing fits well enough.

        Exact alias hits and fuzzy matches on ``phrase`` give the candidates. Ties
        are broken by, in order: the figure's ``unit`` fitting the measure's (for
        levels only: ``kind`` "change" or "target" skips this, as "a 31% reduction"
        fits a count), how much of the phrase the alias explains, how much of the
        alias the phrase plus ``section`` and ``context`` explain, then the phrase
        plus ``context`` alone (the nearer text), exact hits.
        A tie that none of these breaks returns None: the phrase is ambiguous.

        Results are cached per linker (the last ``PHRASE_CACHE_SIZE`` phrases and
        ``LINK_CACHE_SIZE`` results): a paper asks about the same few phrases hundreds
        of times, in different sentences. ``_link`` is the same without the caches.
        """
        ruler = self.ruler
        config = (ruler.threshold, ruler.scorer, len(ruler.patterns))
        analysed = _lru_get(self._phrases, (phrase, *config), lambda: self._analyse(phrase), PHRASE_CACHE_SIZE)
        if not isinstance(analysed, _Phrase):
            return analysed  # decided by the phrase alone
        # Section and context count only through their words that match a word of a
        # candidate alias, so the key keeps only those: another sentence is a cache hit.
        use_unit = unit is not None and kind in (None, "value")
        section_words, context_words = analysed.relevant(section), analysed.relevant(context)
        key = (phrase, *config, section_words, context_words, unit if use_unit else None)

        def rank() -> tuple[str | None, float]:
            return self._rank(analysed, section_words, context_words, unit, kind)

        return _lru_get(self._cache, key, rank, LINK_CACHE_SIZE)

    def _link(
        self, phrase: str, section: str | None, context: str | None, unit: str | None, kind: str | None
    ) -> tuple[str | None, float]:
        """``link`` without the caches, from all the words of ``section`` and ``context``."""
        analysed = self._analyse(phrase)
        if not isinstance(analysed, _Phrase):
            return analysed
        return self._rank(analysed, _tokens(section or ""), _tokens(context or ""), unit, kind)

    def _analyse(self, phrase: str) -> _Phrase | tuple[str | None, float]:
        """What ``link`` finds from the phrase alone: the candidate aliases, or the answer
        when no alias fits well enough whatever the context."""
        ptoks = _tokens(phrase or "")
        if not ptoks:
            return None, 0.0
        query = utils.default_process(phrase)
        # the choices are processed once, in __init__: the same scores as processor=default_process
        cutoff = max(0.0, self.threshold - POOL_MARGIN)
        found = scored(query, self._processed_choices, self.ruler.scorer, cutoff, self._index)
        if not found:
            return None, 0.0
        best = max(score for _, score, _ in found)
        if best < self.threshold:
            return None, round(best, 1)
        hits: dict[str, int] = {}
        for label, s, e in self.ruler.match(self.nlp.make_doc(phrase)):
            hits[label] = max(hits.get(label, 0), e - s)
        pool: list[_Candidate] = []
        for _choice, score, i in found:
            if score < best - POOL_MARGIN:
                continue
            mid, atoks = self._labels[i], self._alias_tokens[i]
            if not atoks or _covered(atoks, ptoks) == 0:
                continue
            pool.append(
                _Candidate(
                    mid,
                    atoks,
                    self.measures[mid].unit,
                    round(_covered(ptoks, atoks) / len(ptoks), 3),
                    float(hits.get(mid, 0)),
                    round(score, 1),
                    fuzz.ratio(query, self._processed_choices[i]),
                )
            )
        pool = self._responses_only(ptoks, pool)
        if not pool:
            return None, round(best, 1)
        return _Phrase(ptoks, pool)

    def _responses_only(self, ptoks: frozenset[str], pool: list[_Candidate]) -> list[_Candidate]:
        """A phrase with a response word ("detected", "arrests") links to response measures
        only, its bare word's generic measure among them; one without links to the rest
        when any of the rest fit."""
        said = [r for r in self.responses if ptoks & r.words]
        if not said:
            rest = [c for c in pool if c.measure_id not in self._response_ids]
            return rest or pool
        kept = [c for c in pool if c.measure_id in self._response_ids]
        for r in said:
            m = self.measures.get(r.generic or "")
            if m is not None and all(c.measure_id != m.id for c in kept):
                toks = _tokens(m.name) | (ptoks & r.words)
                share = round(_covered(ptoks, toks) / len(ptoks), 3)
                kept.append(_Candidate(m.id, toks, m.unit, share, 0.0, 0.0, 0.0))
        return kept

    def _not_narrowed_by_heading(self, analysed: _Phrase, near: frozenset[str]) -> list[_Candidate]:
        """The candidates, less any child of a measure the phrase names in full ("robberies"
        names all robbery) that only the section heading supports: the heading alone does
        not make "robberies" personal robbery; the phrase or its sentence must say so."""
        named = {c.measure_id for c in analysed.pool if _covered(c.tokens, analysed.words) == len(c.tokens)}
        if not named:
            return analysed.pool
        return [
            c
            for c in analysed.pool
            if not set(ancestors(self.measures, c.measure_id)) & named or _covered(c.tokens, near) == len(c.tokens)
        ]

    def _rank(
        self,
        analysed: _Phrase,
        section_words: frozenset[str],
        context_words: frozenset[str],
        unit: str | None,
        kind: str | None,
    ) -> tuple[str | None, float]:
        """The best candidate of ``analysed`` given the words around the phrase."""
        near = analysed.words | context_words
        around = near | section_words
        use_unit = unit is not None and kind in (None, "value")
        keys: dict[str, tuple[float, ...]] = {}
        for c in self._not_narrowed_by_heading(analysed, near):
            matched, matched_near = _covered(c.tokens, around), _covered(c.tokens, near)
            if matched / len(c.tokens) < MIN_ALIAS_COVER:
                continue  # "skilled" is not "skilled Taser users": the paper must say most of the name
            key = (
                float(use_unit and unit_fits(unit or "", c.unit)),
                c.explains,
                round(matched / len(c.tokens), 3),
                float(matched),
                round(matched_near / len(c.tokens), 3),
                c.hit,
                c.score,
                c.ratio,
            )
            if key > keys.get(c.measure_id, ()):
                keys[c.measure_id] = key
        if not keys:
            return None, 0.0
        ranked = sorted(keys.items(), key=lambda kv: kv[1], reverse=True)
        top_id, top = ranked[0]
        if len(ranked) > 1 and ranked[1][1][:-1] == top[:-1]:
            return None, top[-2]
        return top_id, top[-2]


@dataclass(frozen=True)
class Mention:
    """A catalogue phrase named word for word in a text, at ``start:end``."""

    measure_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Candidate:
    """An alias competing for a phrase, with what the phrase alone says about it."""

    measure_id: str
    tokens: frozenset[str]
    unit: str
    explains: float  # share of the phrase's words the alias explains
    hit: float  # tokens of an exact alias hit in the phrase
    score: float  # the fuzzy score, rounded
    ratio: float  # plain similarity, the last tie-break


class _Phrase:
    """A phrase's words and candidate aliases, and which other words can count for them."""

    def __init__(self, words: frozenset[str], pool: list[_Candidate]) -> None:
        self.words = words
        self.pool = pool
        self.alias_words = frozenset().union(*(c.tokens for c in pool))
        self._relevant: dict[str, bool] = {}

    def relevant(self, text: str | None) -> frozenset[str]:
        """The words of ``text`` that match (``_same``) a word of a candidate alias: the
        only ones that change how many alias words the context covers."""
        if not text:
            return frozenset()
        known = self._relevant
        if len(known) > RELEVANT_CACHE_SIZE:
            known.clear()
        kept = []
        for word in _tokens(text):
            fits = known.get(word)
            if fits is None:
                fits = known[word] = any(_same(t, word) for t in self.alias_words)
            if fits:
                kept.append(word)
        return frozenset(kept)


def _lru_get(cache: OrderedDict[Any, T], key: Any, compute: Callable[[], T], size: int) -> T:
    """``cache[key]``, computed on a miss; past ``size`` entries the least recently used goes."""
    try:
        value = cache[key]
    except KeyError:
        value = cache[key] = compute()
        if len(cache) > size:
            cache.popitem(last=False)
        return value
    cache.move_to_end(key)
    return value


@lru_cache(maxsize=8)
def _cached_linker(path: str, threshold: float, scorer: str) -> MeasureLinker:
    return MeasureLinker(load_catalogue(path), threshold=threshold, scorer=scorer)


def get_linker(
    path: str | Path | None = None, *, threshold: float = 85, scorer: str = "token_set_ratio"
) -> MeasureLinker:
    """The linker for a catalogue, built once per path and configuration."""
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    return _cached_linker(str(p.resolve()), float(threshold), scorer)


def link(
    phrase: str,
    section: str | None = None,
    context: str | None = None,
    unit: str | None = None,
    kind: str | None = None,
) -> tuple[str | None, float]:
    """``get_linker().link(...)`` with the default catalogue."""
    return get_linker().link(phrase, section, context, unit, kind)

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
from typing import Any

import spacy
import srsly
import yaml
from rapidfuzz import fuzz, process, utils
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from ..models import UNITS
from ..resources import schema_dir

# libyaml's safe loader is several times faster than the pure-Python one; same results
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_CATALOGUE = schema_dir() / "measures.yml"
BETTER = ("lower", "higher", "neither")
SPANS_KEY = "measures"
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

    @property
    def phrases(self) -> tuple[str, ...]:
        """The name and the aliases, without repeats (case-insensitive)."""
        seen: dict[str, str] = {}
        for p in (self.name, *self.aliases):
            seen.setdefault(p.lower(), p)
        return tuple(seen.values())


# --------------------------------------------------------------------------- catalogue


def load_catalogue(path: str | Path | None = None) -> list[Measure]:
    """Read and validate the YAML catalogue; raise ``ValueError`` naming a bad entry."""
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    if not p.is_file():
        raise FileNotFoundError(f"measure catalogue not found: {p}: pass the path of a measures.yml")
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise ValueError(f"{p}: the catalogue needs a top-level 'measures:' list")
    measures: list[Measure] = []
    owners: dict[str, str] = {}
    for i, entry in enumerate(data["measures"]):
        m = _measure_from(entry, f"{p}: measure #{i + 1}")
        if any(m.id == other.id for other in measures):
            raise ValueError(f"{p}: measure id {m.id!r} is used twice: ids must be unique")
        for phrase in m.phrases:
            owner = owners.setdefault(phrase.lower(), m.id)
            if owner != m.id:
                raise ValueError(
                    f"{p}: measure {m.id!r}: alias {phrase!r} already names {owner!r}: "
                    "an alias may name one measure only"
                )
        measures.append(m)
    return measures


def _measure_from(entry: Any, where: str) -> Measure:
    """Build one ``Measure`` from a YAML mapping, checking each field."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a mapping with id, name, unit, ... not {entry!r}")
    mid = entry.get("id")
    where = f"{where} ({mid!r})" if mid else where
    for key in ("id", "name", "category", "description", "unit", "better"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ValueError(f"{where}: '{key}' must be a non-empty string")
    if not _ID_RE.match(entry["id"]):
        raise ValueError(f"{where}: id must be snake_case (a-z, 0-9, _)")
    if entry["unit"] not in UNITS:
        raise ValueError(f"{where}: unit {entry['unit']!r} is not one of {', '.join(UNITS)}")
    if entry["better"] not in BETTER:
        raise ValueError(f"{where}: better {entry['better']!r} is not one of {', '.join(BETTER)}")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError(f"{where}: aliases must be a list of phrases")
    for a in aliases:
        if not isinstance(a, str) or not a.strip():
            raise ValueError(f"{where}: alias {a!r} must be a non-empty string")
    return Measure(
        id=entry["id"],
        name=entry["name"].strip(),
        category=entry["category"].strip(),
        description=entry["description"].strip(),
        unit=entry["unit"],
        better=entry["better"],
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases)),
    )


# --------------------------------------------------------------------------- spaCy component


def _resolve_scorer(name: str) -> Callable[..., float]:
    scorer = getattr(fuzz, name, None)
    if not callable(scorer):
        raise ValueError(
            f"unknown rapidfuzz scorer {name!r}: use a rapidfuzz.fuzz function name such as 'token_set_ratio'"
        )
    return scorer


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


def _tokens(text: str) -> frozenset[str]:
    """Content words of ``text``: processed, stop words dropped, plurals folded."""
    return frozenset(_stem(t) for t in utils.default_process(text).split() if t not in _STOP)


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` the linker compares: lower case, stop words dropped, plurals folded."""
    return _tokens(text)


def _same(a: str, b: str) -> bool:
    return a == b or (len(a) >= 5 and len(b) >= 5 and fuzz.ratio(a, b) >= 80)


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
        self._processed_choices = [utils.default_process(c) for c in self._choices]
        self._phrases: OrderedDict[tuple[Any, ...], _Phrase | tuple[str | None, float]] = OrderedDict()
        self._cache: OrderedDict[tuple[Any, ...], tuple[str | None, float]] = OrderedDict()
        self._mentions: OrderedDict[str, tuple[Mention, ...]] = OrderedDict()

    @property
    def threshold(self) -> float:
        return self.ruler.threshold

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

        return _lru_get(self._mentions, text, find, RELEVANT_CACHE_SIZE)  # type: ignore[no-any-return]

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
        found = process.extract(
            query,
            self._processed_choices,
            scorer=self.ruler.scorer,
            processor=None,
            limit=None,
            score_cutoff=max(0.0, self.threshold - POOL_MARGIN),
        )
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
        if not pool:
            return None, round(best, 1)
        return _Phrase(ptoks, pool)

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
        for c in analysed.pool:
            matched, matched_near = _covered(c.tokens, around), _covered(c.tokens, near)
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


def _lru_get(cache: OrderedDict[Any, Any], key: Any, compute: Callable[[], Any], size: int) -> Any:
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

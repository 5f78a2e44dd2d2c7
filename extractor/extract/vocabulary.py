"""The words the extraction steps read with, loaded from ``patterns/`` with one loader.

Each step's words live in one YAML file of ``patterns/`` (``cues.yml`` for kind and sign,
``periods.yml`` for period phrases keyed to their handlers and the words around them,
``labels.yml`` for the words a label is cut with, ``tables.yml`` for header and row words,
``link.yml`` for the grades and back-references of the link step, ``semantics.yml`` for
what a figure is). A board can add words without touching Python: an overlay file under
``patterns/boards/``, named for the board in ``patterns/boards.yml`` and chosen by the
manifest's ``board:``, whose top-level keys are the base files' names and whose lists are
added to the base lists (a scalar replaces the base value).

Every entry is checked when loaded: a regex that does not compile, a list that is not a
list, a period phrase keyed to no handler, an unknown key or an overlay's addition to a
list still read with the base words only (``BASE_ONLY``) stops extraction with a
``PatternError`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .period_rules import HANDLER_GROUPS, HANDLERS
from .regex_gate import gated

PATTERNS = Path(__file__).parent / "patterns"
STEP_FILES = ("cues", "periods", "labels", "tables", "link", "semantics")
_FLAGS = re.IGNORECASE
# Lists read once, with the base words, by module constants of labels.py: an overlay
# cannot extend them yet, and saying so is better than ignoring it.
BASE_ONLY: Mapping[str, frozenset[str]] = {
    "labels": frozenset(
        "stop_after lead_words subject_verbs function_words duration_units leading_skip trailing_words generic "
        "pronoun_subjects lead_clause_words goal_verbs topic_leads conjunctions of_hedges change_nouns "
        "change_participles change_in_nouns link_words dangling_words clause_words pronouns anaphors "
        "comparative_leads service_numbers rate_periods "
        "clause_openers copula_leads cause_words level_adjectives list_item_leads comma_clause_words".split()
    ),
}


class PatternError(ValueError):
    """A pattern file that cannot be used: the message names the file and line."""


@dataclass(frozen=True)
class _Entry:
    """A value read from a pattern file, with where it was written."""

    value: Any
    where: str


@dataclass(frozen=True)
class Cues:
    """The word lists of one pattern file (``cues.yml``, ``labels.yml``, ``periods.yml``),
    with a board's additions, compiled on demand into the regex shape a step gives them."""

    lists: Mapping[str, tuple[str, ...]]
    _compiled: dict[tuple[str, ...], re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def cue(self, name: str, *, anchored: str = "") -> re.Pattern[str]:
        """One regex matching any cue of list ``name`` as whole words; ``anchored`` is "end"
        (the cue ends the text, give or take non-word characters), "start", "lead" (in the
        text's first two words) or "" (anywhere)."""
        key = (name, anchored)
        if key not in self._compiled:
            body = "|".join(f"(?:{c})" for c in self.lists[name])
            word = rf"\b(?:{body})\b"
            anchors = {"start": rf"^\W*{word}", "end": rf"{word}\W*$", "lead": rf"^(?:\w+\s+)?{word}"}
            pattern = anchors.get(anchored, word)
            self._compiled[key] = gated(pattern, _FLAGS)
        return self._compiled[key]

    def around(self, name: str, template: str, *, flags: int = _FLAGS) -> re.Pattern[str]:
        """``template`` (a regex with ``{words}`` for the list) with list ``name`` in it:
        the words of a list in the place the step reads them (case-insensitive unless
        ``flags`` says otherwise)."""
        key = (name, template, str(int(flags)))
        if key not in self._compiled:
            words = "|".join(f"(?:{c})" for c in self.lists[name])
            self._compiled[key] = gated(template.format(words=words), flags)
        return self._compiled[key]


@dataclass(frozen=True)
class TableWords:
    """The header words of ``tables.yml``: what a column of a table holds."""

    change: re.Pattern[str]
    target: re.Pattern[str]
    performance: re.Pattern[str]
    money: re.Pattern[str]
    percent: re.Pattern[str]
    current: re.Pattern[str]
    percent_row: re.Pattern[str]  # a row label saying its bare numbers are percentages ("Satisfaction (%)")
    days_row: re.Pattern[str]  # a row label saying its bare numbers are days
    ranked: re.Pattern[str]  # words before a table saying it ranks (its numbers before the label are ranks)


@dataclass(frozen=True)
class Vocabulary:
    """Everything a board's papers are read with."""

    board: str | None
    cues: Cues
    period_rules: tuple[tuple[str, re.Pattern[str]], ...]  # a board's own period phrases, by handler
    grade: re.Pattern[str]  # a grade the board's papers give what they measure ("P2"): group 1 is the grade
    graded_id: re.Pattern[str]  # a catalogue id of a graded measure ("p2_sla"): group 1 is the grade
    graded_id_template: str  # the prefix of a graded id for a grade ("p{grade}_")
    graded_phrase_template: str  # a graded phrase ("P{grade} {phrase}")
    refers_back: re.Pattern[str]  # a passage that refers back to the population named before
    junk_part: re.Pattern[str]  # a part of a label that is a clause, not a name
    attribute: re.Pattern[str]  # a measure of a population that names no population ("the SLA")
    tables: TableWords
    semantics: Cues  # semantics.yml: what a figure is (basis, area, breakdown, bound)
    label_words: Cues = field(default_factory=lambda: Cues({}))  # the word lists of labels.yml
    period_words: Cues = field(default_factory=lambda: Cues({}))  # the word lists of periods.yml
    covers: re.Pattern[str] = re.compile(r"(?!x)x")  # a line stating the whole paper's period ("* Data covers ...")
    not_topic: re.Pattern[str] = re.compile(r"(?!x)x")  # a heading that is no figure's topic (a date, a byline)
    not_name: re.Pattern[str] = re.compile(r"(?!x)x")  # a byline, a person, a role: never a figure's subject


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"


class _Map(dict[str, Any]):
    """A mapping read from a pattern file; ``lines`` says where each key was written."""

    lines: dict[str, str]


def _plain(node: yaml.Node, path: Path) -> Any:
    """A YAML node as Python values, each scalar and key kept with its file and line."""
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.lines = {}
        for k, v in node.value:
            out[str(k.value)] = _plain(v, path)
            out.lines[str(k.value)] = _where(path, k)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, path) for v in node.value]
    value = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.ScalarNode) else None
    return _Entry(value, _where(path, node))


def read_file(path: Path) -> dict[str, Any]:
    """A pattern file as nested dicts and lists of ``_Entry``; a YAML error names its line."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
    except OSError as e:
        raise PatternError(f"{path}: cannot read the pattern file ({e.strerror}); check the path") from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise PatternError(f"{path}:{line}: not valid YAML: {e.problem}") from e
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise PatternError(f"{_where(path, node)}: a pattern file must be a mapping of names to lists")
    return _plain(node, path)  # type: ignore[no-any-return]


def _regex(entry: _Entry) -> str:
    if not isinstance(entry.value, str) or not entry.value:
        raise PatternError(f"{entry.where}: a pattern must be a non-empty string, not {entry.value!r}")
    try:
        re.compile(entry.value, _FLAGS)
    except re.error as e:
        raise PatternError(f"{entry.where}: not a valid regular expression: {e}") from e
    return entry.value


def _regex_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise PatternError(f"{where}: expected a list of patterns")
    return [_regex(e) for e in value]


def _merge(base: dict[str, Any], overlay: _Map, path: Path, section: str) -> dict[str, Any]:
    """The overlay's lists added to the base's (of the base file ``section``); its scalars
    replace the base's."""
    out = dict(base)
    for key, value in overlay.items():
        where = overlay.lines.get(key, str(path))
        if key not in base:
            raise PatternError(f"{where}: unknown key {key!r}; the base file names {sorted(base)}")
        if key in BASE_ONLY.get(section, frozenset()):
            raise PatternError(f"{where}: {key!r} is read with the base words only; add them to patterns/{section}.yml")
        if isinstance(base[key], list) != isinstance(value, list):
            raise PatternError(f"{where}: {key!r} must be a {'list' if isinstance(base[key], list) else 'value'}")
        out[key] = [*base[key], *value] if isinstance(value, list) else value
    return out


def overlay_for(board: str | None, patterns: Path = PATTERNS) -> Path | None:
    """The overlay file ``boards.yml`` names for ``board`` (by name, case-insensitive)."""
    if not board:
        return None
    boards = read_file(patterns / "boards.yml")
    for name, entry in boards.items():
        if name.strip().lower() != board.strip().lower():
            continue
        if not isinstance(entry, _Entry) or not isinstance(entry.value, str):
            raise PatternError(f"{patterns / 'boards.yml'}: board {name!r} must name one overlay file")
        path = patterns / entry.value
        if not path.is_file():
            raise PatternError(f"{entry.where}: overlay {entry.value!r} for {name!r} is not a file under {patterns}")
        return path
    return None


def load(board: str | None, patterns: Path = PATTERNS) -> dict[str, dict[str, Any]]:
    """Each step file's entries, with the board's overlay added."""
    files = {name: read_file(patterns / f"{name}.yml") for name in STEP_FILES}
    path = overlay_for(board, patterns)
    if path is None:
        return files
    for name, section in read_file(path).items():
        if name not in files:
            raise PatternError(f"{path}: unknown section {name!r}; an overlay has sections {list(STEP_FILES)}")
        if not isinstance(section, _Map):
            raise PatternError(f"{path}: section {name!r} must be a mapping of names to lists")
        files[name] = _merge(files[name], section, path, name)
    return files


def _period_rule(rule: Any, where: str) -> tuple[str, re.Pattern[str]]:
    """A board's period phrase and its handler. The named groups the handler reads that the
    phrase does not name are added as groups that never match."""
    if not isinstance(rule, dict) or set(rule) != {"handler", "pattern"}:
        raise PatternError(f"{where}: each period rule has exactly a 'handler' and a 'pattern'")
    handler, pattern = rule["handler"], rule["pattern"]
    if handler.value not in HANDLERS:
        raise PatternError(f"{handler.where}: no period handler {handler.value!r}; handlers are {sorted(HANDLERS)}")
    text = _regex(pattern)
    missing = HANDLER_GROUPS[handler.value] - set(re.compile(text).groupindex)
    text += "".join(f"(?:(?P<{g}>(?!)))?" for g in sorted(missing))
    return str(handler.value), gated(text, re.IGNORECASE | re.ASCII)


def _one(section: dict[str, Any], key: str, where: str) -> _Entry:
    entry = section.get(key)
    if not isinstance(entry, _Entry):
        raise PatternError(f"{where}: {key!r} must be one value")
    return entry


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    """One regex for a list; an empty list matches nothing."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", _FLAGS)


def _table_words(section: dict[str, Any], where: str) -> TableWords:
    def words(key: str) -> re.Pattern[str]:
        return _alternatives(_regex_list(section.get(key), f"{where}: {key!r}"))

    return TableWords(
        change=words("change_headers"),
        target=words("target_headers"),
        performance=words("performance_headers"),
        money=words("money_headers"),
        percent=words("percent_headers"),
        current=words("current_columns"),
        percent_row=words("percent_rows"),
        days_row=words("days_rows"),
        ranked=words("rank_contexts"),
    )


def _lists(section: dict[str, Any], where: str, skip: tuple[str, ...] = ()) -> Cues:
    """The lists of a pattern file (but ``skip``) as cue lists a step reads words from."""
    return Cues({k: tuple(_regex_list(v, f"{where}: {k!r}")) for k, v in section.items() if k not in skip})


def _whole(patterns: list[str]) -> re.Pattern[str]:
    """One regex matching a whole phrase that is one of ``patterns``, after an optional "the"."""
    return re.compile(rf"^(?:the\s+)?(?:{_alternatives(patterns).pattern})$", _FLAGS)


def _grade(entry: _Entry) -> re.Pattern[str]:
    """The board's grade pattern (case-sensitive, one group); "" matches nothing."""
    if entry.value == "":
        return re.compile(r"(?!x)x()")
    grade = re.compile(_regex(entry))
    if grade.groups != 1:
        raise PatternError(f"{entry.where}: a grade pattern needs exactly one group (the grade)")
    return grade


@cache
def vocabulary(board: str | None = None, patterns: Path = PATTERNS) -> Vocabulary:
    """The words for ``board``'s papers: the pattern files of ``patterns`` with the board's overlay on top."""
    files = load(board, patterns)
    cues_file, link_file, periods_file = (str(patterns / f"{n}.yml") for n in ("cues", "link", "periods"))
    link = files["link"]
    labels_file = str(patterns / "labels.yml")
    rules = files["periods"].get("rules", [])
    if not isinstance(rules, list):
        raise PatternError(f"{periods_file}: 'rules' must be a list of {{handler, pattern}} entries")
    return Vocabulary(
        board=board,
        cues=Cues({k: tuple(_regex_list(v, cues_file)) for k, v in files["cues"].items()}),
        period_rules=tuple(_period_rule(r, periods_file) for r in rules),
        grade=_grade(_one(link, "grade", link_file)),
        graded_id=re.compile(_regex(_one(link, "graded_id", link_file))),
        graded_id_template=str(_one(link, "graded_id_template", link_file).value),
        graded_phrase_template=str(_one(link, "graded_phrase_template", link_file).value),
        refers_back=_alternatives(_regex_list(link["refers_back"], link_file)),
        junk_part=_alternatives(
            _regex_list(files["labels"]["junk_parts"], labels_file)
            + _regex_list(files["labels"].get("not_names", []), labels_file)
        ),
        attribute=_whole(_regex_list(files["labels"]["attributes"], labels_file)),
        tables=_table_words(files["tables"], str(patterns / "tables.yml")),
        semantics=Cues(
            {k: tuple(_regex_list(v, str(patterns / "semantics.yml"))) for k, v in files["semantics"].items()}
        ),
        label_words=_lists(files["labels"], labels_file),
        period_words=_lists(files["periods"], periods_file, skip=("rules",)),
        covers=_alternatives(_regex_list(files["periods"].get("covers", []), periods_file)),
        not_topic=_alternatives(_regex_list(files["labels"].get("not_topics", []), labels_file)),
        not_name=_alternatives(_regex_list(files["labels"].get("not_names", []), labels_file)),
    )

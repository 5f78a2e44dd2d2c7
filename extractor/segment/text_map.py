"""Whitespace-collapsed text that remembers where each character came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class MappedText:
    """``text`` is ``source[start:end]`` collapsed; ``origin[i]`` is where ``text[i]`` came from."""

    text: str
    origin: tuple[int, ...]

    @classmethod
    def from_source(cls, source: str, start: int, end: int) -> MappedText:
        raw = source[start:end]
        if raw == " ".join(raw.split()):  # nothing to collapse: each character is where it was
            return cls(raw, tuple(range(start, end)))
        chars: list[str] = []
        origin: list[int] = []
        pending_space = False
        for i in range(start, end):
            ch = source[i]
            if ch.isspace():
                pending_space = bool(chars)
                continue
            if pending_space:
                chars.append(" ")
                origin.append(i - 1)
                pending_space = False
            chars.append(ch)
            origin.append(i)
        return cls("".join(chars), tuple(origin))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source offsets of ``text[start:end]`` (end exclusive)."""
        if not self.origin:
            return (0, 0)
        start = min(max(start, 0), len(self.origin) - 1)
        last = min(max(end - 1, start), len(self.origin) - 1)
        return (self.origin[start], self.origin[last] + 1)

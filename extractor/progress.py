"""The one progress bar wrapper: shown on a terminal, quiet in CI, tests and --silent."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def showing(silent: bool = False) -> bool:
    return not silent and sys.stderr.isatty() and not os.environ.get("CI")


def progressbar(items: Iterable[T], *, total: int | None = None, label: str = "", silent: bool = False) -> Iterator[T]:
    if not showing(silent):
        yield from items
        return
    yield from tqdm(items, total=total, desc=label, unit="paper", file=sys.stderr, leave=False)

"""Progress for long work: a bar on the command line, a callback anywhere else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]


def track(
    items: Iterable[T],
    *,
    total: int,
    label: str,
    callback: ProgressCallback | None = None,
    bar: bool = False,
    unit: str = "行",
) -> Iterator[T]:
    """Yield from `items`, reporting (done, total) to `callback` and, if `bar`, to stderr."""
    progress = tqdm(total=total, desc=label, file=sys.stderr, disable=not bar, unit=unit)
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            progress.update(1)
            if callback is not None:
                callback(done, total)
    finally:
        progress.close()

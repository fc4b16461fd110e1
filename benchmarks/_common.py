"""What the benchmark scripts share: the repository root and best-of-N wall-clock timing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def best_seconds(fn: Callable[[], Any], repeat: int, *, warm_up: bool = True) -> float:
    """The best wall time of ``repeat`` runs of ``fn``, in seconds (after one untimed run when
    ``warm_up``: caches filled, code paths loaded)."""
    if warm_up:
        fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_ms(fn: Callable[[], Any], repeat: int) -> float:
    """:func:`best_seconds` (warmed up) in milliseconds."""
    return best_seconds(fn, repeat) * 1000

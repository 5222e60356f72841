"""The page's zoom levels: the steps a browser's Ctrl+= and Ctrl+- go through."""

from __future__ import annotations

import math

# Chrome's and Firefox's steps, from two thirds to double.
STEPS: tuple[float, ...] = (0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
ACTUAL_SIZE = 1.0


def nearest(factor: object) -> float:
    """The step closest to `factor`: a remembered zoom, whatever its file holds, is a step.

    Anything that is not a finite number is the actual size.
    """
    try:
        value = float(factor)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return ACTUAL_SIZE
    if not math.isfinite(value):
        return ACTUAL_SIZE
    return min(STEPS, key=lambda step: abs(step - value))


def larger(factor: float) -> float:
    """The next step up (the largest stays)."""
    return next((step for step in STEPS if step > nearest(factor)), STEPS[-1])


def smaller(factor: float) -> float:
    """The next step down (the smallest stays)."""
    return next((step for step in reversed(STEPS) if step < nearest(factor)), STEPS[0])

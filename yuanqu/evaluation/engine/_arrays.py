"""Array type aliases and the few array helpers every engine step shares.

Internal to the engine: the step modules import from here so that one alias means one thing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def as_float(values: Any) -> FloatArray:
    """A float64 copy of ``values``; the caller's array is never modified by a step."""
    return np.array(values, dtype=np.float64, copy=True)


def frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Mark an array read-only so a stage, once computed, cannot be altered in place."""
    array.setflags(write=False)
    return array

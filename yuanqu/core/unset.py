"""UNSET: the default of a keyword an update service was not given. A service with explicit
keyword-only parameters tells "leave this field as it is" (UNSET) from "clear it" (None) with it,
and checks rights only over the fields it was given (`given`). Registry services use it."""

from __future__ import annotations

import enum
from typing import Any, Final


class Unset(enum.Enum):
    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def given(**values: object) -> dict[str, Any]:
    """The keywords that were given, by name."""
    return {name: value for name, value in values.items() if value is not UNSET}

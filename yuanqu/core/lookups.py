"""A code in the input turned into the row it names, or a refusal on the field that carried it.

The writes of the pages and the API (`<app>/actions.py`, `investment/forms.py`) resolve the codes
they are given (a credit code, a park or parcel code, a project number, a run's id) within the
actor's read scope: a code outside it reads as unknown, exactly like one that does not exist, and
the message names the code. Who calls this: the actions and look-ups of the second-wave apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def found_or_invalid(rows: QuerySet[M], field: str, message: str, code: object, /, **lookup: Any) -> M:
    """The first row of `rows` that `lookup` finds, or a ValidationError on `field` whose text is
    `message` (a `gettext_noop` constant with `%(code)s`) in the active language, naming `code` (what
    the input said; the look-up may hold it cleaned, e.g. a credit code in capitals)."""
    found = rows.filter(**lookup).first()
    if found is None:
        raise ValidationError({field: _(message) % {"code": code}})
    return found


def all_found_or_invalid(
    rows: QuerySet[M], codes: Sequence[str], *, field: str, message: str, key: str = "code"
) -> list[M]:
    """The rows whose `key` is one of `codes`, in the order first given and each once, or a
    ValidationError on `field` naming every code not found (`message` with `%(codes)s`, joined by 、)."""
    found = {getattr(row, key): row for row in rows.filter(**{f"{key}__in": list(codes)})}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({field: _(message) % {"codes": "、".join(missing)}})
    return [found[code] for code in dict.fromkeys(codes)]

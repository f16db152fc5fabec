"""A free-text value of a service's input: NUL characters dropped, white space stripped, refused
when required and empty, refused when longer than its limit, each refusal on the field and naming
the field's label. Who calls this: the services of 陪跑/惠企, 人才直通车 and 要素保障 (the pages and the
API reach them through their forms and schemas, which check lengths too; a service checks again, as
it is also called by imports, jobs and the demo)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.forms import REQUIRED

TEXT_REQUIRED = REQUIRED  # the pages' message for an empty required field
TEXT_TOO_LONG = gettext_noop("%(field)s不能超过%(limit)s个字符（实际%(length)s个）")


def clean_text(value: str | None, *, field: str, label: str, limit: int | None = None, required: bool = True) -> str:
    """The text to store; `limit` None leaves the length to the model's own rule."""
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _(TEXT_REQUIRED) % {"field": label}})
    if limit is not None and len(text) > limit:
        raise ValidationError({field: _(TEXT_TOO_LONG) % {"field": label, "limit": limit, "length": len(text)}})
    return text

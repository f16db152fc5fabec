"""The audit log as people read it (core.views.audit_log): an entry's object by its model's name
("诉求 ZMN-2025-000001 厂区用电增容", not `casework.Case #12`), and its change as one line per field
with the field's name and readable values ("行数：0", "（空）" for nothing, 是/否 for flags, a
choice's label), never the stored JSON. Reads the models' own verbose names, so a new app's entries
read well without a line here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, gettext_lazy

# Keys the platform records beside model fields (bulk reads, jobs, exports).
EXTRA_KEYS = {
    "rows": gettext_lazy("行数"),
    "query": gettext_lazy("查询条件"),
    "cancel": gettext_lazy("取消"),
    "retry": gettext_lazy("重试"),
    "file": gettext_lazy("文件"),
    "filename": gettext_lazy("文件名"),
    "kind": gettext_lazy("类别"),
    "count": gettext_lazy("数量"),
}
EMPTY = gettext_lazy("（空）")
# A nested value longer than this is cut for the list (the entry keeps all of it).
LONGEST = 200


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the entry records no earlier value (a new object, a read)
    after: str | None


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The model's name in the page's language; a type that is no model (a report, a cockpit
    export, an API resource) keeps its own words."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        try:
            field = model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            return None
    return field if isinstance(field, models.Field) else None


def value_text(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return str(EMPTY)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, list):
        text = "、".join(value_text(item) for item in value)
    elif isinstance(value, dict):
        text = "；".join(f"{key}：{value_text(item)}" for key, item in value.items())
    else:
        text = str(value)
    return text if len(text) <= LONGEST else text[:LONGEST] + "…"


def changes(object_type: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """One line per recorded field, in the order the entry names them."""
    model = _model(object_type)
    keys = list(dict.fromkeys([*(after or {}), *(before or {})]))
    lines = []
    for key in keys:
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else str(EXTRA_KEYS.get(key, key))
        lines.append(
            Change(
                field=label,
                before=value_text(before.get(key), field) if before is not None else None,
                after=value_text(after.get(key), field) if after is not None else None,
            )
        )
    return lines

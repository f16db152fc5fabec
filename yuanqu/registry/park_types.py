"""The park types' names as the pages show them: the installed pack's (`park_types.yaml`: `name`,
and `name_en` on English pages), since another city calls its types its own way. The stored value
is the code; `registry.models.ParkType` keeps the codes and its labels for the admin and the
migrations. Every app names a park type through these functions."""

from __future__ import annotations

from django.utils.translation import gettext

from yuanqu.core.language import localised
from yuanqu.core.pack import installed_pack
from yuanqu.registry.models import ParkType
from yuanqu.registry.pack import LAYOUT


def park_type_choices() -> list[tuple[str, str]]:
    """The pack's park types (code, name in the page's language), in the pack's order. A name
    without `name_en` goes through the catalogues (the shipped pack's names have English there)."""
    return [
        (item.code, localised(gettext(item.name), item.name_en)) for item in installed_pack().section(LAYOUT).park_types
    ]


def park_type_names() -> dict[str, str]:
    """Every park type's name by code: the pack's, or the registry's for a type the pack does not
    define (未分类). Read once per page: the pack is looked up on each call."""
    return {code: str(label) for code, label in ParkType.choices} | dict(park_type_choices())


def park_type_name(code: str) -> str:
    """One park type's name (see park_type_names); an unknown code is shown as it is."""
    return park_type_names().get(code, code)


def park_type_filter_choices() -> list[tuple[str, str]]:
    """The choices of a park-type filter: the pack's types, then 未分类."""
    return [*park_type_choices(), (ParkType.UNCLASSIFIED.value, str(ParkType.UNCLASSIFIED.label))]

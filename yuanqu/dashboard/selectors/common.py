"""What the cockpit, the park profile and the district page share: who may read them, names and
period labels in the page's language, the catalogue's park indicators, ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import english, localised
from yuanqu.core.models import User
from yuanqu.core.periods import MONTH_ABBREVIATIONS as MONTHS
from yuanqu.core.periods import Period
from yuanqu.core.roles import Role
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.evaluation.labels import UNITS
from yuanqu.indicators import catalogue
from yuanqu.indicators.models import Frequency
from yuanqu.indicators.pack import Indicator
from yuanqu.registry.models import District, Park
from yuanqu.registry.park_types import park_type_name

# Roles that open the cockpit and the profiles: the city, districts and park operators. Enterprises
# and handlers have their own pages; auditors read the audit log only.
COCKPIT_READER_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})

RANK_LIMIT = 10
# How many of the newest months the cockpit weighs for completeness (the period list shows their rate).
COVERAGE_MONTHS = 24


# The pack's target status names, marked so that the pages can show them in English.
STATUS_NAMES = (gettext_noop("已达标"), gettext_noop("按进度"), gettext_noop("滞后"), gettext_noop("严重滞后"))


def may_read(user: User) -> bool:
    return user.is_active and (user.role in COCKPIT_READER_ROLES or user.is_superuser)


def indicator_name(item: Indicator) -> str:
    """A catalogue indicator's name in the page's language (its English `name_en` where it has one)."""
    return localised(item.name, item.name_en)


def period_label(end: dt.date, frequency: str, *, with_year: bool = True) -> str:
    """A statistics period as the pages show it: 2025年 / 2025年1-3月 (1–本月累计), or in English
    2025 / Jan–Mar 2025. The Chinese is Period.label's."""
    if not english():
        label = Period(end, frequency).label
        return label if with_year else label.removeprefix(f"{end.year}年")
    if frequency == Frequency.YEAR:
        return str(end.year)
    months = MONTHS[1] if end.month == 1 else f"{MONTHS[1]}–{MONTHS[end.month]}"
    return f"{months} {end.year}" if with_year else months


def chart_labels() -> dict[str, Any]:
    """The words of the cockpit's and the profile's charts (cockpit.js, profile.js), in the page's language."""
    return {
        "no_data": gettext("无数据"),
        "no_values": gettext("暂无指标值"),
        "no_monthly": gettext("暂无月度数据"),
        "no_annual": gettext("暂无年度数据"),
        "previous": gettext("上年同期"),
        "current": gettext("本年"),
        "yoy": gettext("{name}同比"),
        "yoy_axis": gettext("同比%"),
        "map_failed": gettext("地图数据加载失败："),
        "colon": gettext("："),
        "rank": gettext("（第{rank}名）"),
        "finished": gettext("已办结"),
        "open": gettext("在办"),
        "overdue": gettext("在办超期"),
        "cases_axis": gettext("诉求（件）"),
        "firms_axis": gettext("企业（家）"),
        "no_cases": gettext("暂无诉求"),
        "no_grades": gettext("暂无亩均评价"),
        "units": {name: gettext(name) for name in UNITS},
    }


# ── shared pieces ───────────────────────────────────────────────────────────────────────────


def park_indicators() -> list[Indicator]:
    """Catalogue indicators that have park values (enterprise- and park-level ones)."""
    return [item for item in catalogue.indicators() if item.level in ("enterprise", "park") and not item.external]


def indicator_or_default(code: str) -> Indicator:
    items = {item.code: item for item in park_indicators()}
    return items.get(code) or items.get(dashboard_policy().default_indicator) or next(iter(items.values()))


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def visible_districts(user: User) -> QuerySet[District]:
    """The districts whose parks the user sees (all for city roles, its own for a district user)."""
    districts = District.objects.visible_to(user)
    if user.is_city_wide:
        return districts
    own = Q(pk=user.district_id) if user.district_id else Q(pk__in=[])
    return districts.filter(own | Q(pk__in=Park.objects.visible_to(user).values("district_id")))


@dataclass(frozen=True)
class ParkValue:
    code: str
    name: str
    district: str
    park_type: str
    value: float | None
    rank: int | None = None
    type_label: str = ""  # the park type's name, when the caller looked the names up already

    @property
    def park_type_label(self) -> str:
        return self.type_label or park_type_name(self.park_type)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "district": self.district,
            "type": self.park_type,
            "type_label": self.park_type_label,
            "value": self.value,
            "rank": self.rank,
        }


def ranked(values: Sequence[ParkValue], direction: str) -> list[ParkValue]:
    """Parks with a value, best first (by the indicator's direction), ranked 1…n (ties share a rank);
    parks without a value follow, unranked."""
    present = [item for item in values if item.value is not None]
    higher = direction != "lower"
    present.sort(key=lambda item: (-(item.value or 0.0) if higher else (item.value or 0.0), item.code))
    result: list[ParkValue] = []
    previous: float | None = None
    rank = 0
    for position, item in enumerate(present, start=1):
        if item.value != previous:
            rank = position
            previous = item.value
        result.append(ParkValue(item.code, item.name, item.district, item.park_type, item.value, rank, item.type_label))
    missing = sorted((item for item in values if item.value is None), key=lambda item: item.code)
    return result + missing


def _items(codes: Iterable[str]) -> list[Indicator]:
    pack = catalogue.indicator_catalogue()
    found = []
    for code in codes:
        try:
            found.append(pack.indicator(code))
        except KeyError:
            continue  # another pack may not have it
    return found

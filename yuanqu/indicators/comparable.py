"""规上工业增加值增速 as the statistics bureau computes it: at comparable prices, over the same set of
reporting firms (同口径).

For a month end E of year Y, the set is the firms that hold the 规上 label on E, sit (on E) in one of
the parks asked for, and reported 1–本月累计 value added both for that month of Y and for the same month
of Y−1. Each firm's value of Y is taken to Y−1's prices with the 工业生产者出厂价格指数 of its industry
division (1–本月累计, 上年同期=100, `stats.PriceIndex`):

    comparable growth = Σ (VA_Y × 100 / index_division) / Σ VA_{Y−1} − 1
    current-price growth (same firms) = Σ VA_Y / Σ VA_{Y−1} − 1

A firm whose division has no index for the month leaves the comparable growth unknown (the divisions
missing are named), never deflated with another division's index. The figures are computed when read,
not stored with the indicator values: they depend on the set of firms, which the engine's per-cell sums
do not keep. Callers: the cockpit's trend table (dashboard) and the indicator page (views)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.models import User
from yuanqu.indicators.models import ScopeKind
from yuanqu.registry.models import EnterpriseLabel, LabelKind, Park
from yuanqu.registry.selectors import park_states_on, with_state_on
from yuanqu.stats.models import MonthlyStat, PriceIndex

# The catalogue's indicator whose growth is given at comparable prices beside its current-price 同比.
VALUE_ADDED_INDICATOR = "above_scale_value_added"

DEFINITION_CURRENT = gettext_noop(
    "现价同比：本期与上年同期的1-本月累计合计之比减1，按现价计算，两年报送企业的范围可以不同"
)
DEFINITION_COMPARABLE = gettext_noop(
    "可比价增速（同口径）：只计两年同期都报送的规上企业；本年值按所属行业大类的工业生产者出厂价格指数"
    "（1-本月累计，上年同期=100）换算为上年价格后与上年同期比较"
)
NOTE_NO_INDEX = gettext_noop("价格指数尚未导入：显示的是现价同比，不是可比价增速")
NOTE_MISSING = gettext_noop("缺少{divisions}大类{month}的价格指数，未计算可比价增速")


@dataclass(frozen=True)
class ValueAddedGrowth:
    """The same-firm totals of one month end and the growths they give."""

    end: dt.date
    firms: int  # firms in the same set (reported in both years)
    current: Decimal  # Σ VA of year Y, current prices
    previous: Decimal  # Σ VA of year Y−1, same firms
    deflated: Decimal | None  # Σ VA of year Y at Y−1 prices; None when an index is missing
    indices_loaded: bool  # any 1–本月累计 price index is stored for the month
    missing: tuple[str, ...]  # divisions of firms in the set without an index for the month

    @property
    def current_growth(self) -> float | None:
        if not self.previous:
            return None
        return float(self.current / self.previous - 1)

    @property
    def comparable_growth(self) -> float | None:
        if self.deflated is None or not self.previous:
            return None
        return float(self.deflated / self.previous - 1)

    @property
    def note(self) -> str:
        """Which figure is shown and why, in plain words: empty when the comparable growth is given."""
        if not self.indices_loaded:
            return gettext(NOTE_NO_INDEX)
        if self.missing:
            shown = "、".join(self.missing[:5]) + ("…" if len(self.missing) > 5 else "")
            return gettext(NOTE_MISSING).format(divisions=shown, month=f"{self.end.year}-{self.end.month:02d}")
        return ""

    @property
    def definitions(self) -> tuple[str, str]:
        return gettext(DEFINITION_CURRENT), gettext(DEFINITION_COMPARABLE)


def value_added_growth(user: User, park_codes: Sequence[str], end: dt.date) -> ValueAddedGrowth:
    """Comparable-price and current-price growth of 规上工业增加值 (1–本月累计) at the month end `end`
    over the same firms, within the parks given and the user's scope (two queries)."""
    month = end.replace(day=1)
    before = month.replace(year=month.year - 1)
    holds_label = EnterpriseLabel.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), kind=LabelKind.ABOVE_SCALE
    ).valid_on(end)
    parks = Park.objects.filter(code__in=list(park_codes)).values("pk")
    earlier = MonthlyStat.objects.filter(enterprise_id=OuterRef("enterprise_id"), period=before).values(
        "value_added_ytd"
    )[:1]
    rows = (
        with_state_on(
            MonthlyStat.objects.visible_to(user).filter(period=month, value_added_ytd__isnull=False), end,
            enterprise="enterprise__",
        )
        .annotate(last=Subquery(earlier))
        .filter(Exists(holds_label), last__isnull=False, state_park__in=parks)
        .values_list("value_added_ytd", "last", "state_industry")
    )  # fmt: skip
    found = [(value, last, (industry or "")[:3]) for value, last, industry in rows]
    indices = dict(
        PriceIndex.objects.filter(period=month).filter(~Q(ytd_index=None)).values_list("division_id", "ytd_index")
    )
    current = sum((value for value, _, _ in found), Decimal(0))
    previous = sum((last for _, last, _ in found), Decimal(0))
    missing = sorted({division for _, _, division in found if division not in indices})
    deflated: Decimal | None = None
    if indices and not missing:
        deflated = sum((value * 100 / indices[division] for value, _, division in found), Decimal(0))
    return ValueAddedGrowth(end, len(found), current, previous, deflated, bool(indices), tuple(missing))


def scope_park_codes(user: User, scope_kind: str, scope_code: str, day: dt.date) -> list[str]:
    """The codes of the visible parks an indicator scope covers on `day` (a park type by the parks'
    type on that day)."""
    parks = Park.objects.visible_to(user)
    if scope_kind == ScopeKind.PARK:
        parks = parks.filter(code=scope_code)
    elif scope_kind == ScopeKind.DISTRICT:
        parks = parks.filter(district__code=scope_code)
    elif scope_kind == ScopeKind.PARK_TYPE:
        typed = [pk for pk, state in park_states_on(day).items() if state.park_type == scope_code]
        parks = parks.filter(pk__in=typed)
    return list(parks.values_list("code", flat=True))


def value_added_growth_by_month(
    user: User, scope_kind: str, scope_code: str, ends: Sequence[dt.date]
) -> list[ValueAddedGrowth]:
    """The same-firm growths of each month end given (the indicator page's growth table)."""
    return [value_added_growth(user, scope_park_codes(user, scope_kind, scope_code, end), end) for end in ends]

"""要素保障 reads, always through `visible_to`: the land supply list, the share of 弹性供地 methods per
district and year (by area, the methods the pack names over all supply), the start-price compliance
(rows below the floor, with their approvals) and the land supplied to 招商 projects by stage.

Who calls this: the factors pages and API, and the cockpit's 要素保障 section."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from yuanqu.core.models import User
from yuanqu.factors.config import config
from yuanqu.factors.models import LandSupply, SupplyMethod


def land_supplies(user: User) -> QuerySet[LandSupply]:
    return LandSupply.objects.visible_to(user).select_related("parcel", "district", "park", "project", "enterprise")


@dataclass(frozen=True)
class FlexibleShare:
    """The share of 弹性供地 in one district and year: the area supplied by the pack's flexible
    methods over all area supplied, in percent (None when nothing was supplied)."""

    district_code: str
    district_name: str
    year: int
    flexible_mu: Decimal
    total_mu: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.total_mu:
            return None
        return (self.flexible_mu * 100 / self.total_mu).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def flexible_shares(user: User) -> list[FlexibleShare]:
    """One row per district and year with land supplied, district code then year."""
    flexible = set(config().land.flexible_methods)
    rows = (
        LandSupply.objects.visible_to(user)
        .annotate(year=ExtractYear("supplied_on"))
        .values("district__code", "district__name", "year", "method")
        .annotate(area=Sum("area_mu"))
        .order_by()
    )
    totals: dict[tuple[str, str, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        key = (row["district__code"], row["district__name"], row["year"])
        area = row["area"] or Decimal(0)
        totals[key][1] += area
        if row["method"] in flexible:
            totals[key][0] += area
    return [
        FlexibleShare(code, name, year, flex, total)
        for (code, name, year), (flex, total) in sorted(totals.items(), key=lambda item: (item[0][0], item[0][2]))
    ]


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    count: int
    area_mu: Decimal


def by_method(user: User) -> list[MethodTotal]:
    rows = {
        row["method"]: row
        for row in LandSupply.objects.visible_to(user)
        .values("method")
        .annotate(n=Count("id"), area=Sum("area_mu"))
        .order_by()
    }
    return [
        MethodTotal(method.value, str(method.label), rows[method.value]["n"], rows[method.value]["area"] or Decimal(0))
        for method in SupplyMethod
        if method.value in rows
    ]


@dataclass(frozen=True)
class Compliance:
    total: int
    below_floor: int
    lowest_ratio: Decimal | None  # the lowest start price / 基准地价 of the visible rows


def price_compliance(user: User) -> Compliance:
    rows = LandSupply.objects.visible_to(user)
    lowest = rows.order_by("start_ratio").values_list("start_ratio", flat=True).first()
    return Compliance(rows.count(), rows.filter(below_floor=True).count(), lowest)


def by_project_stage(user: User) -> list[tuple[str, int, Decimal]]:
    """Land supplied to 招商 projects, by the project's current stage: (stage label, rows, area)."""
    from yuanqu.investment.models import Stage

    rows = (
        LandSupply.objects.visible_to(user)
        .filter(project__isnull=False)
        .values("project__stage")
        .annotate(n=Count("id"), area=Sum("area_mu"))
        .order_by()
    )
    found = {row["project__stage"]: row for row in rows}
    return [
        (str(stage.label), found[stage.value]["n"], found[stage.value]["area"])
        for stage in Stage
        if stage.value in found
    ]

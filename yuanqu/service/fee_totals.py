"""涉企收费 totals as the pages and the API read them: per park or per district, the fees still
charged, those awaiting the city's review, those the review confirmed have no basis, the firms'
reports, and the amounts in 元 — a periodic fee over a year, a fee charged per time as such — added
up per unit (a sum over 平方米 and 户 together would mean nothing). Fees registered before amounts
were numbers are counted, not summed. Read through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from yuanqu.core.models import User
from yuanqu.service.models import FeePeriod, FeeReview, FeeUnit, ParkFee

GROUPINGS = ("park", "district")


@dataclass
class FeeTotal:
    key: str  # the park's or the district's code
    name: str
    fees: int = 0
    awaiting_review: int = 0
    confirmed_without_basis: int = 0
    reports: int = 0
    without_amount: int = 0
    yearly_yuan: dict[str, Decimal] = field(default_factory=dict)  # unit → 元 a year
    per_time_yuan: dict[str, Decimal] = field(default_factory=dict)  # unit → 元 a time

    @staticmethod
    def _label(amounts: dict[str, Decimal], period: str) -> str:
        units = dict(FeeUnit.choices)
        return "；".join(f"{amounts[unit]} {_('元')}/{units.get(unit, unit)}·{period}" for unit in sorted(amounts))

    @property
    def yearly_label(self) -> str:
        return self._label(self.yearly_yuan, str(FeePeriod.YEAR.label))

    @property
    def per_time_label(self) -> str:
        return self._label(self.per_time_yuan, str(FeePeriod.ONCE.label))


def fee_totals(user: User, *, by: str = "park") -> list[FeeTotal]:
    """One row per park (or district) of the user's scope that has a fee still charged."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    fees = (
        ParkFee.objects.visible_to(user)
        .filter(retired_at__isnull=True)
        .select_related("park", "park__district")
        .annotate(report_count=Count("reports"))
        .order_by("park__code", "pk")
    )
    rows: dict[str, FeeTotal] = {}
    for fee in fees:
        group = fee.park if by == "park" else fee.park.district
        row = rows.setdefault(group.code, FeeTotal(key=group.code, name=group.name))
        row.fees += 1
        row.awaiting_review += fee.awaiting_review
        row.confirmed_without_basis += fee.review == FeeReview.CONFIRMED
        row.reports += getattr(fee, "report_count", 0)  # annotated above
        if fee.amount_yuan is None:
            row.without_amount += 1
            continue
        yearly = fee.yearly_yuan
        if yearly is not None:
            row.yearly_yuan[fee.unit] = row.yearly_yuan.get(fee.unit, Decimal(0)) + yearly
        else:
            row.per_time_yuan[fee.unit] = row.per_time_yuan.get(fee.unit, Decimal(0)) + fee.amount_yuan
    return sorted(rows.values(), key=lambda row: row.key)

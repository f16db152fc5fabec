"""Each enterprise's attribute snapshot (a plain dict the rule engine reads) built from registry,
stats and the 亩均 grades, for many firms in a fixed number of queries.

A value the platform does not hold is left out (None), so that a rule naming it answers "not known"
rather than "fails": a firm without last year's annual report is not judged on its revenue.

"Last year" is the calendar year before the evaluation day; revenue growth compares it with the year
before. R&D intensity is R&D expense over revenue of last year.

Who calls this: `service.matching` (policy eligibility) and `service.visits` (visit tiers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from yuanqu.core.rules import HeldLabel
from yuanqu.evaluation.models import EnterpriseGrade
from yuanqu.registry.models import ChainNode, Enterprise, EnterpriseLabel
from yuanqu.service import attributes as attr
from yuanqu.stats.models import AnnualStat

Snapshot = dict[str, object]


class _Annual(NamedTuple):
    revenue: Decimal | None
    rd_expense: Decimal | None
    tax: Decimal | None
    employees: int | None


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def snapshots(enterprises: Iterable[Enterprise], *, on: dt.date) -> dict[int, Snapshot]:
    """The snapshot of each enterprise (by id) on a day. The enterprises should come with their park
    and district selected (`select_related("park", "district")`)."""
    firms = list(enterprises)
    ids = [firm.pk for firm in firms]
    last, before = on.year - 1, on.year - 2
    labels: dict[int, list[HeldLabel]] = defaultdict(list)
    for row in EnterpriseLabel.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "kind", "level", "valid_from", "valid_to"
    ):
        labels[row[0]].append(HeldLabel(row[1], row[2], row[3], row[4]))
    chains: dict[str, set[str]] = defaultdict(set)
    classes = {firm.industry_id for firm in firms}
    for code, chain in ChainNode.objects.filter(industry_classes__in=classes).values_list(
        "industry_classes", "chain__code"
    ):
        chains[code].add(chain)
    # The four figures a snapshot uses, not whole rows (a city's firms make tens of thousands).
    annual: dict[tuple[int, int], _Annual] = {
        (firm_id, year): _Annual(revenue, rd_expense, tax, employees)
        for firm_id, year, revenue, rd_expense, tax, employees in AnnualStat.objects.filter(
            enterprise_id__in=ids, year__in=(last, before)
        ).values_list("enterprise_id", "year", "revenue", "rd_expense", "tax", "employees")
    }
    # Ordered by year, so the latest year's grade is the one kept.
    grades: dict[int, str] = dict(
        EnterpriseGrade.objects.filter(enterprise_id__in=ids, year__lte=last)
        .exclude(grade="")
        .order_by("enterprise_id", "year")
        .values_list("enterprise_id", "grade")
    )
    result: dict[int, Snapshot] = {}
    for firm in firms:
        now = annual.get((firm.pk, last))
        then = annual.get((firm.pk, before))
        revenue = _float(now.revenue) if now is not None else None
        previous = _float(then.revenue) if then is not None else None
        rd = _float(now.rd_expense) if now is not None else None
        snapshot: Snapshot = {
            attr.LABELS: labels.get(firm.pk, []),
            attr.INDUSTRY: firm.industry_id,
            attr.INDUSTRY_DIVISION: firm.industry_id[:3] if firm.industry_id else None,
            attr.CHAINS: sorted(chains.get(firm.industry_id, ())),
            attr.PARK_TYPE: firm.park.park_type if firm.park is not None else None,
            attr.DISTRICT: firm.district.code,
            attr.IN_PARK: firm.park_id is not None,
            attr.REVENUE: revenue,
            attr.REVENUE_GROWTH: (revenue / previous - 1) if revenue is not None and previous else None,
            attr.RD_EXPENSE: rd,
            attr.RD_INTENSITY: (rd / revenue) if rd is not None and revenue else None,
            attr.EMPLOYEES: now.employees if now is not None else None,
            attr.TAX: _float(now.tax) if now is not None else None,
            attr.MUJUN_GRADE: grades.get(firm.pk),
            attr.AGE_YEARS: ((on - firm.founded_on).days // 365) if firm.founded_on else None,
        }
        result[firm.pk] = snapshot
    return result

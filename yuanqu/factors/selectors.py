"""要素保障 reads, always through `visible_to`: the land supply list, the share of 弹性供地 methods per
district and year (by area, the methods the pack names over all supply), the start-price compliance
(rows below the floor, with their approvals) and the land supplied to 招商 projects by stage; the
ledger, its totals by year, district, park and kind, and its reconciliation to a confirmed 产业名园
selection; the 产业基金 register with the capital invested by chain, park, district, stage, fund kind
and year, and the firms reached; the 用地计划 of each district against the year's supply and the
unmet land needs of its 招商 projects signed or later.

Who calls this: the factors pages and API (the 要素保障 overview among them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from yuanqu.casework.models import Case, CaseKind
from yuanqu.core.models import User
from yuanqu.core.permissions import has_role, is_finance_reader
from yuanqu.core.roles import Role
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.factors.config import config
from yuanqu.factors.models import (
    Fund,
    FundInvestment,
    FundKind,
    InvestmentStage,
    LandQuota,
    LandSupply,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    Meeting,
    MeetingDecision,
    SupplyMethod,
)
from yuanqu.registry.models import District
from yuanqu.targets.models import SupervisedTask


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
    return flexible_shares_of(LandSupply.objects.visible_to(user))


def flexible_shares_of(supplies: QuerySet[LandSupply]) -> list[FlexibleShare]:
    """The 弹性供地 share per district and year of the given supply records (the reader's, or all of
    them for the indicator catalogue, `factors.figures`)."""
    flexible = set(config().land.flexible_methods)
    rows = (
        supplies.annotate(year=ExtractYear("supplied_on"))
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
    found = LandSupply.objects.visible_to(user).aggregate(
        total=Count("id"), below=Count("id", filter=Q(below_floor=True)), lowest=Min("start_ratio")
    )
    return Compliance(found["total"], found["below"], found["lowest"])


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


# ── the award and subsidy ledger ─────────────────────────────────────────────────────────────

LEDGER_GROUPS = {
    "year": ("year", "year"),
    "district": ("district__code", "district__name"),
    "park": ("park__code", "park__name"),
    "kind": ("kind", "kind"),
}


def ledger_entries(user: User) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.visible_to(user).select_related("district", "park", "enterprise", "run")


@dataclass(frozen=True)
class LedgerTotal:
    key: str
    label: str
    approved_wan_yuan: Decimal  # approved or paid, not clawed back
    paid_wan_yuan: Decimal
    entries: int


def ledger_totals(user: User, by: str) -> list[LedgerTotal]:
    """Totals of the visible entries by year, district, park or kind (clawed-back entries left out);
    entries with no park are grouped under an empty key when totalling by park."""
    key_field, label_field = LEDGER_GROUPS[by]
    fields = (key_field,) if key_field == label_field else (key_field, label_field)
    rows = (
        LedgerEntry.objects.visible_to(user)
        .standing()
        .values(*fields)
        .annotate(
            total=Sum("amount_wan_yuan"),
            paid=Sum("amount_wan_yuan", filter=Q(status=LedgerStatus.PAID)),
            n=Count("id"),
        )
        .order_by(key_field)
    )
    kinds = dict(LedgerKind.choices)
    result = []
    for row in rows:
        key = row[key_field]
        label = str(kinds.get(key, key)) if by == "kind" else row[label_field]
        result.append(
            LedgerTotal(
                "" if key is None else str(key),
                "" if label is None else str(label),
                row["total"] or Decimal(0),
                row["paid"] or Decimal(0),
                row["n"],
            )
        )
    return result


@dataclass(frozen=True)
class AwardLine:
    """One selected park of a confirmed selection against the ledger: the award the selection set,
    what the ledger holds for it (not clawed back) and what was paid."""

    park_code: str
    park_name: str
    park_type: str
    selection_wan_yuan: Decimal
    ledger_wan_yuan: Decimal
    paid_wan_yuan: Decimal

    @property
    def difference(self) -> Decimal:
        return self.ledger_wan_yuan - self.selection_wan_yuan


def award_reconciliation(user: User, run: EvaluationRun) -> list[AwardLine]:
    """Every selected park of the run the user may see, with its award in the selection and in the
    ledger; a difference means the ledger does not reconcile to the selection."""
    results = (
        _selection_results(user)
        .filter(run=run, selected=True)
        .select_related("park")
        .order_by("park_type", "selection_order", "park__code")
    )
    entries: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in LedgerEntry.objects.visible_to(user).standing().filter(run=run, kind=LedgerKind.FAMOUS_PARK_AWARD):
        assert entry.park_id is not None
        entries[entry.park_id].append(entry)
    return [
        AwardLine(
            result.park.code,
            result.park.name,
            result.park_type,
            Decimal(result.award_wan_yuan or 0),
            sum((e.amount_wan_yuan for e in entries[result.park_id]), Decimal(0)),
            sum((e.amount_wan_yuan for e in entries[result.park_id] if e.status == LedgerStatus.PAID), Decimal(0)),
        )
        for result in results
    ]


def _selection_results(user: User) -> QuerySet[ParkResult]:
    """The evaluation results the reconciliation reads: the user's own, or for the 市财政局 (which
    reads no evaluation) those of the confirmed selections, which the city has announced."""
    if is_finance_reader(user):
        return ParkResult.objects.filter(run__selection_status=EvaluationRun.SelectionStatus.CONFIRMED)
    return ParkResult.objects.visible_to(user)


def confirmed_runs(user: User) -> QuerySet[EvaluationRun]:
    runs = EvaluationRun.objects.all() if is_finance_reader(user) else EvaluationRun.objects.visible_to(user)
    return runs.filter(selection_status=EvaluationRun.SelectionStatus.CONFIRMED)


# ── 联席会议 ─────────────────────────────────────────────────────────────────────────────────


def meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).prefetch_related("units")


@dataclass(frozen=True)
class DecisionLine:
    decision: MeetingDecision
    status: str  # the task's status label
    overdue: bool


def decisions(user: User, meeting: Meeting, today: dt.date) -> list[DecisionLine]:
    rows = MeetingDecision.objects.visible_to(user).filter(meeting=meeting).select_related("task")
    return [
        DecisionLine(
            row,
            row.task.get_status_display(),
            row.due_on < today and row.task.status != SupervisedTask.Status.COMPLETED,
        )
        for row in rows
    ]


def escalated_problems(user: User, meeting: Meeting) -> QuerySet[Case]:
    """The park problems (园区问题解决机制) escalated by the day of the meeting and not closed before
    it: the conference's standing agenda item, with each case's status now."""
    return (
        Case.objects.visible_to(user)
        .filter(kind=CaseKind.PARK_PROBLEM, escalated_at__date__lte=meeting.held_on)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=meeting.held_on))
        .select_related("park")
        .order_by("escalated_at")
    )


# ── the 要素保障 overview ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Overview:
    methods: list[MethodTotal]
    compliance: Compliance
    flexible_percent: Decimal | None  # all visible years and districts, by area
    awards: list[LedgerTotal]  # by year
    decisions_open: int
    decisions_overdue: int


def _flexible_percent(shares: list[FlexibleShare]) -> Decimal | None:
    """The 弹性供地 share of all the rows together, by area."""
    flexible = sum((row.flexible_mu for row in shares), Decimal(0))
    total = sum((row.total_mu for row in shares), Decimal(0))
    return (flexible * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None


def overview(user: User, today: dt.date) -> Overview:
    """The 要素保障 figures at a glance: land supplied by method, start-price compliance, the
    弹性供地 share, the ledger by year and the conference's open and overdue decisions."""
    open_decisions = MeetingDecision.objects.visible_to(user).exclude(task__status=SupervisedTask.Status.COMPLETED)
    return Overview(
        methods=by_method(user),
        compliance=price_compliance(user),
        flexible_percent=_flexible_percent(flexible_shares(user)),
        awards=ledger_totals(user, "year"),
        decisions_open=open_decisions.count(),
        decisions_overdue=open_decisions.filter(due_on__lt=today).count(),
    )


# ── 产业基金 ──────────────────────────────────────────────────────────────────────────────────

# Grouping of the investments: (key field, label field); the stage's label comes from its choices.
FUND_GROUPS = {
    "chain": ("chain__code", "chain__name"),
    "park": ("park__code", "park__name"),
    "district": ("district__code", "district__name"),
    "stage": ("stage", "stage"),
    "fund_kind": ("fund__kind", "fund__kind"),
    "year": ("year", "year"),
}


def funds(user: User) -> QuerySet[Fund]:
    """The funds with what the user's visible investments put into firms (万元) and how many firms."""
    visible = FundInvestment.objects.visible_to(user).values("pk")
    return (
        Fund.objects.visible_to(user)
        .select_related("district")
        .prefetch_related("chains")
        .annotate(
            invested=Sum("investments__amount_wan_yuan", filter=Q(investments__in=visible)),
            firms=Count("investments__investee_name", filter=Q(investments__in=visible), distinct=True),
        )
        .order_by("code")
    )


def fund_investments(user: User, fund: Fund | None = None) -> QuerySet[FundInvestment]:
    rows = FundInvestment.objects.visible_to(user).select_related(
        "fund", "enterprise", "project", "district", "park", "chain"
    )
    return rows if fund is None else rows.filter(fund=fund)


@dataclass(frozen=True)
class FundTotal:
    """The capital invested in one group (chain, park, district, stage, fund kind or year): the amount,
    the investments, the firms reached and the amount of the investments exited."""

    key: str
    label: str
    invested_wan_yuan: Decimal
    investments: int
    firms: int
    exited_wan_yuan: Decimal


def fund_totals(user: User, by: str, fund: Fund | None = None) -> list[FundTotal]:
    """Totals of the visible investments (of one fund, or all) by `FUND_GROUPS`; investments with no
    chain or park are grouped under an empty key."""
    key_field, label_field = FUND_GROUPS[by]
    fields = (key_field,) if key_field == label_field else (key_field, label_field)
    rows = FundInvestment.objects.visible_to(user)
    if fund is not None:
        rows = rows.filter(fund=fund)
    if by == "year":
        rows = rows.annotate(year=ExtractYear("invested_on"))
    grouped = (
        rows.values(*fields)
        .annotate(
            total=Sum("amount_wan_yuan"),
            exited=Sum("amount_wan_yuan", filter=Q(exited_on__isnull=False)),
            n=Count("id"),
            firms=Count("investee_name", distinct=True),
        )
        .order_by(key_field)
    )
    labels: dict[str, str] = {}
    if by == "stage":
        labels = {key: str(label) for key, label in InvestmentStage.choices}
    elif by == "fund_kind":
        labels = {key: str(label) for key, label in FundKind.choices}
    result = []
    for row in grouped:
        key = row[key_field]
        label = labels.get(key, key) if labels else row[label_field]
        result.append(
            FundTotal(
                "" if key is None else str(key),
                "" if label is None else str(label),
                row["total"] or Decimal(0),
                row["n"],
                row["firms"],
                row["exited"] or Decimal(0),
            )
        )
    return result


# ── 用地计划 ──────────────────────────────────────────────────────────────────────────────────


CENTI = Decimal("0.01")


def _mu(value: Decimal | None) -> Decimal:
    """An area to two places whatever the database's sum answers (SQLite drops trailing zeros)."""
    return Decimal(value or 0).quantize(CENTI)


@dataclass(frozen=True)
class WaitingProject:
    """A 招商 project signed or later whose land need is not yet met by recorded land supply, in the
    order it was signed; `beyond_plan` when the district's plan left after the year's supply and the
    projects signed before it cannot cover its need."""

    number: str
    name: str
    stage: str
    signed_on: dt.date | None
    need_mu: Decimal  # the project's land need less the land already supplied to it
    cumulative_mu: Decimal
    beyond_plan: bool


@dataclass(frozen=True)
class PlanLine:
    """One district's 用地计划 of a year against what uses it."""

    district_code: str
    district_name: str
    quota_mu: Decimal | None  # None: no plan recorded for the year
    topup_mu: Decimal
    supplied_mu: Decimal  # land supplied in the district in the year
    waiting_mu: Decimal  # unmet land needs of projects signed or later
    projects: list[WaitingProject]

    @property
    def available_mu(self) -> Decimal:
        return _mu((self.quota_mu or Decimal(0)) + self.topup_mu)

    @property
    def left_mu(self) -> Decimal:
        """The plan left after the year's supply (never below 0)."""
        return _mu(max(self.available_mu - self.supplied_mu, Decimal(0)))

    @property
    def shortfall_mu(self) -> Decimal:
        """What the waiting projects need beyond what is left: the top-up the city would have to add."""
        return _mu(max(self.waiting_mu - self.left_mu, Decimal(0)))


def _plan_districts(user: User, year: int, waiting_districts: set[int]) -> QuerySet[District]:
    if user.is_city_wide or user.is_superuser:
        ids = set(LandQuota.objects.filter(year=year).values_list("district_id", flat=True))
        ids |= set(LandSupply.objects.filter(supplied_on__year=year).values_list("district_id", flat=True))
        return District.objects.filter(pk__in=ids | waiting_districts).order_by("code")
    if user.role == Role.DISTRICT and user.district_id is not None:
        return District.objects.filter(pk=user.district_id)
    return District.objects.none()


def land_plan(user: User, year: int) -> list[PlanLine]:
    """Each district's plan of the year (the city: every district with a plan, supply or waiting
    projects; a district: its own; other roles none) with the land supplied in the year and the unmet
    land needs of its 招商 projects signed or later, and the projects beyond the plan."""
    from yuanqu.investment.models import PIPELINE, Project, Stage

    signed_or_later = [stage.value for stage in PIPELINE[PIPELINE.index(Stage.SIGNED) :]]
    projects = (
        Project.objects.visible_to(user)
        .filter(stage__in=signed_or_later, land_need_mu__gt=0, district__isnull=False)
        .annotate(supplied=Sum("land_supplies__area_mu"))
        .order_by("signed_on", "number")
    )
    waiting: dict[int, list[tuple[Project, Decimal]]] = defaultdict(list)
    for project in projects:
        assert project.land_need_mu is not None and project.district_id is not None
        need = _mu(project.land_need_mu - (getattr(project, "supplied", None) or Decimal(0)))
        if need > 0:
            waiting[project.district_id].append((project, need))
    quotas = {row.district_id: row for row in LandQuota.objects.visible_to(user).filter(year=year)}
    supplied = dict(
        LandSupply.objects.visible_to(user)
        .filter(supplied_on__year=year)
        .values_list("district_id")
        .annotate(area=Sum("area_mu"))
        .order_by()
    )
    lines = []
    for district in _plan_districts(user, year, set(waiting)):
        quota = quotas.get(district.pk)
        used = _mu(supplied.get(district.pk))
        left = max((quota.available_mu if quota else Decimal(0)) - used, Decimal(0))
        cumulative = Decimal(0)
        rows = []
        for project, need in waiting.get(district.pk, []):
            cumulative += need
            rows.append(
                WaitingProject(
                    project.number,
                    project.name,
                    project.get_stage_display(),
                    project.signed_on,
                    need,
                    cumulative,
                    cumulative > left,
                )
            )
        lines.append(
            PlanLine(
                district.code,
                district.name,
                quota.quota_mu if quota else None,
                quota.topup_mu if quota else Decimal(0),
                used,
                cumulative,
                rows,
            )
        )
    return lines


# ── the 要素保障 section of the cockpit ───────────────────────────────────────────────────────


@dataclass(frozen=True)
class CockpitSection:
    """What the city cockpit shows of 要素保障 (dashboard includes `factors/_cockpit_section.html`):
    land supplied by method, the start-price compliance and the 弹性供地 share, the capital the funds
    invested by fund kind, and the awards and subsidies paid (万元), in the reader's scope."""

    methods: list[MethodTotal]
    compliance: Compliance
    flexible_percent: Decimal | None
    funds: list[FundTotal]
    paid_wan_yuan: Decimal

    @property
    def invested_wan_yuan(self) -> Decimal:
        return sum((row.invested_wan_yuan for row in self.funds), Decimal(0))


def cockpit_section(user: User, today: dt.date) -> CockpitSection | None:
    """None for a role that does not read 要素保障."""
    from yuanqu.factors.access import READER_ROLES

    if not has_role(user, READER_ROLES):
        return None
    paid = LedgerEntry.objects.visible_to(user).filter(status=LedgerStatus.PAID).aggregate(total=Sum("amount_wan_yuan"))
    return CockpitSection(
        by_method(user),
        price_compliance(user),
        _flexible_percent(flexible_shares(user)),
        fund_totals(user, "fund_kind"),
        _mu(paid["total"]),
    )

"""Demo data of 要素保障: three years of land sales on the synthetic city's parcels with prices drawn
around each district's 基准地价 (a few below 70%, kept with an approval, so the flag shows), a few
规划编制 and 标准制订 grants to synthetic parks, and four 联席会议 meetings whose decisions became
督办 tasks — all written through the factors services as a city administrator. 产业名园 awards are
not made up: after the demo's evaluation the city confirms its proposed list and the ledger enters
that selection's awards, half of them paid (`factors_demo_awards`, docs/factors.md).

Who calls this: the `demo` command (generate) and `demo.generator.demo_clear` (clear)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.casework import clock
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.services import selection_confirm
from yuanqu.factors.config import config
from yuanqu.factors.models import AwardAccount, LandSupply, LedgerEntry, Meeting, MeetingDecision, SupplyMethod
from yuanqu.factors.services import (
    award_ledger_generate,
    conference,
    land_supply_record,
    ledger_entry_pay,
    ledger_entry_record,
)
from yuanqu.registry.models import LandParcel, Park, ResponsibleUnit
from yuanqu.targets.models import SupervisedTask

YEARS = (2023, 2024, 2025)
BELOW_SHARE = 0.04  # sales kept below the 70% line with an approval
TERMS = {"transfer": 50, "flexible_term": 20, "long_lease": 20, "lease_and_transfer": 30, "lease_then_transfer": 30}
MEETINGS = (
    (dt.date(2025, 3, 28), "2025年第一次联席会议", "园区用地保障；弹性年期出让推进情况"),
    (dt.date(2025, 6, 27), "2025年第二次联席会议", "产业名园遴选工作方案；园区问题解决机制运行情况"),
    (dt.date(2025, 9, 26), "2025年第三次联席会议", "产业基金向园区投放；园区能源供应问题"),
    (dt.date(2025, 12, 19), "2025年第四次联席会议", "年度目标完成情况；产业名园奖励资金安排"),
)
DECISIONS = (
    ("制定工业用地弹性年期出让实施细则", "zjj", ("jxj",)),
    ("各区梳理签约项目用地缺口并报市级统筹", "jxj", ("zjj", "fgw")),
    ("落实工业生产类项目城市基础设施配套费减免", "zgj", ("czj",)),
    ("研究产业名园奖励资金拨付办法", "czj", ("jxj",)),
    ("推动政府产业基金优先向园区投放", "czj", ("jxj", "kcj")),
    ("协调园区用电扩容问题", "fgw", ("jxj",)),
)


def _admin() -> User | None:
    return User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()


@transaction.atomic
def factors_demo_generate(*, seed: int, scale: float = 1.0) -> tuple[int, int, int]:
    """Land sales, grants and meetings of the demo; returns how many of each were created."""
    actor = _admin()
    if actor is None:
        return 0, 0, 0
    return _land(random.Random(seed), actor, scale), _grants(random.Random(seed + 1), actor), _meetings(actor)


def _land(rng: random.Random, actor: User, scale: float) -> int:
    rules = config().land
    today = clock.today()
    parcels = list(
        LandParcel.objects.filter(synthetic=True, supply_method__in=SupplyMethod.values, supplied_on__year__in=YEARS)
        .select_related("district")
        .order_by("pk")
    )
    rng.shuffle(parcels)
    created = 0
    for parcel in parcels[: max(30, round(600 * scale))]:
        assert parcel.supplied_on is not None
        grades = rules.grades(parcel.district.code)
        if not grades or parcel.supplied_on > today:
            continue
        grade = rng.randint(1, grades)
        base = rules.base_price(parcel.district.code, grade, parcel.supplied_on)
        if base is None:
            continue
        below = rng.random() < BELOW_SHARE
        share = rng.uniform(0.62, 0.69) if below else rng.uniform(0.70, 1.25)
        start = (base.yuan_per_m2 * Decimal(str(share))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if not below and start < base.yuan_per_m2 * rules.start_price_floor:
            start = (base.yuan_per_m2 * rules.start_price_floor).quantize(Decimal("1"), rounding=ROUND_HALF_UP) + 1
        final = (start * Decimal(str(rng.uniform(1.0, 1.3)))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        land_supply_record(
            actor=actor,
            parcel=parcel,
            method=parcel.supply_method,
            term_years=TERMS[parcel.supply_method],
            area_mu=parcel.area_mu,
            land_grade=grade,
            start_price=start,
            final_price=final,
            supplied_on=parcel.supplied_on,
            enterprise=parcel.enterprise,
            with_plan=rng.random() < 0.3,
            fee_waiver_wan_yuan=(parcel.area_mu * Decimal("2.5")).quantize(Decimal("0.01")),
            exception_reason="列入省优先发展产业目录的重大项目，经市政府专题会议同意" if below else "",
            exception_approval=f"武政办函〔{parcel.supplied_on.year}〕{rng.randint(10, 99)}号" if below else "",
            synthetic=True,
        )
        created += 1
    return created


def _grants(rng: random.Random, actor: User) -> int:
    parks = list(Park.objects.filter(synthetic=True).order_by("pk"))
    rng.shuffle(parks)
    created = 0
    for index, park in enumerate(parks[:12]):
        kind, basis = (
            ("planning_grant", "保障措施（四）：园区规划编制资金支持")
            if index % 2 == 0
            else ("standard_grant", "保障措施（四）：园区标准制订资金支持")
        )
        ledger_entry_record(
            actor=actor,
            kind=kind,
            amount_wan_yuan=Decimal(rng.choice((30, 50, 80, 100))),
            basis=basis,
            decision_number=f"武经信〔2025〕{20 + index}号",
            approved_on=dt.date(2025, rng.randint(3, 11), 15),
            park=park,
            payee_uscc="",
            synthetic=True,
        )
        created += 1
    return created


def _meetings(actor: User) -> int:
    units = {unit.code: unit for unit in ResponsibleUnit.objects.all()}
    members = [units[code] for code in sorted(conference.member_codes()) if code in units]
    if not members:
        return 0
    for index, (held_on, title, agenda) in enumerate(MEETINGS):
        meeting = conference.meeting_record(
            actor=actor,
            held_on=held_on,
            title=title,
            convener="分管副市长",
            units=members,
            agenda=agenda,
            synthetic=True,
        )
        for text, lead, co in DECISIONS[index : index + 3]:
            if lead in units and all(code in units for code in co):
                conference.decision_add(
                    actor=actor,
                    meeting=meeting,
                    text=text,
                    lead=units[lead],
                    co_units=[units[code] for code in co],
                    due_on=held_on + dt.timedelta(days=90),
                )
    return len(MEETINGS)


@transaction.atomic
def factors_demo_clear() -> int:
    """Remove the factors rows of the synthetic city (and the tasks its meetings' decisions became),
    so that the generator can remove its parcels, parks and firms."""
    removed = 0
    removed += LandSupply.objects.filter(synthetic=True).delete()[0]
    removed += LandSupply.objects.filter(parcel__synthetic=True).delete()[0]
    removed += LedgerEntry.objects.filter(synthetic=True).delete()[0]
    removed += LedgerEntry.objects.filter(park__synthetic=True).delete()[0]
    removed += LedgerEntry.objects.filter(enterprise__synthetic=True).delete()[0]
    removed += AwardAccount.objects.filter(park__synthetic=True).delete()[0]
    decisions = MeetingDecision.objects.filter(meeting__synthetic=True)
    tasks = list(decisions.values_list("task_id", flat=True))
    removed += decisions.delete()[0]
    removed += SupervisedTask.objects.filter(pk__in=tasks).delete()[0]
    removed += Meeting.objects.filter(synthetic=True).delete()[0]
    return removed


@transaction.atomic
def factors_demo_awards(*, run: EvaluationRun) -> int:
    """The 产业名园 awards of the demo's evaluation: the city first confirms the run's proposed list
    (as on the 评价 page), then the ledger enters the selection's awards (capped per park type), as
    the finance bureau's reconciliation expects. Returns the awards entered (0 when the run did not
    finish or has no admin to confirm it)."""
    actor = _admin()
    if actor is None or run.status != EvaluationRun.Status.DONE:
        return 0
    if run.selection_status == EvaluationRun.SelectionStatus.PROPOSED:
        run = selection_confirm(actor=actor, run=run)
    if LedgerEntry.objects.filter(run=run).exists():
        return 0
    approved_on = min(dt.date(run.year + 1, 3, 31), clock.today())
    try:
        entries = award_ledger_generate(
            actor=actor, run=run, decision_number=f"武财企〔{run.year + 1}〕8号", approved_on=approved_on
        )
    except ValidationError:  # a selection with no awards to pay
        return 0
    for entry in entries[::2]:  # half of them paid already
        ledger_entry_pay(actor=actor, entry=entry, paid_on=approved_on)
    return len(entries)

"""Demo data of 要素保障: three years of land sales on the synthetic city's parcels with prices drawn
around each district's 基准地价 (a few below 70%, kept with an approval, so the flag shows), a few
规划编制 and 标准制订 grants to synthetic parks, four 联席会议 meetings whose decisions became 督办
tasks, 20 产业基金 with about 300 investments in the demo's firms and 招商 projects, and each
district's 用地计划 of the demo years with the city's top-ups (this year's plans leave some districts
short of their signed projects' needs) — all written through the factors services as a city
administrator. 产业名园 awards are
not made up: after the demo's evaluation the city confirms its proposed list and the ledger enters
that selection's awards, half of them paid (`factors_demo_awards`, docs/factors.md).

Who calls this: the `demo` command (generate) and `demo.generator.demo_clear` (clear)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.casework import clock
from yuanqu.core import uscc
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.evaluation.services import selection_confirm
from yuanqu.factors import selectors
from yuanqu.factors.config import config
from yuanqu.factors.models import (
    AwardAccount,
    Fund,
    FundInvestment,
    FundKind,
    InvestmentStage,
    LandQuota,
    LandSupply,
    LedgerEntry,
    Meeting,
    MeetingDecision,
    SupplyMethod,
)
from yuanqu.factors.services import (
    award_ledger_generate,
    conference,
    funds,
    land_supply_record,
    ledger_entry_pay,
    ledger_entry_record,
    plan,
)
from yuanqu.investment.models import PIPELINE, Project, Stage
from yuanqu.registry.models import District, Enterprise, IndustryChain, LandParcel, Park, ResponsibleUnit
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


class FactorsDemo(NamedTuple):
    """How many rows of each kind the demo created."""

    sales: int
    grants: int
    meetings: int
    funds: int
    investments: int
    plans: int


@transaction.atomic
def factors_demo_generate(*, seed: int, scale: float = 1.0) -> FactorsDemo:
    """Land sales, grants, meetings, funds with their investments and the 用地计划 of the demo (run
    after the 招商 demo, so investments and plans can name its projects)."""
    actor = _admin()
    if actor is None:
        return FactorsDemo(0, 0, 0, 0, 0, 0)
    sales = _land(random.Random(seed), actor, scale)
    grants = _grants(random.Random(seed + 1), actor)
    meetings = _meetings(actor)
    fund_count, investments = _funds(random.Random(seed + 2), actor, scale)
    plans = _plans(random.Random(seed + 3), actor)
    return FactorsDemo(sales, grants, meetings, fund_count, investments, plans)


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


# ── 产业基金 ──────────────────────────────────────────────────────────────────────────────────

# (kind, name, manager, size range in 万元, who pays in, count); 20 funds in all. A park fund belongs
# to a district and invests in its firms; the city's funds invest across the city.
FUNDS = (
    (FundKind.GUIDANCE, "武汉市{chain}产业引导基金", "武汉产业投资基金管理有限公司", (50000, 200000), "city", 4),
    (FundKind.PARK, "{district}园区产业发展基金", "{district}产业投资管理有限公司", (10000, 50000), "district", 6),
    (FundKind.ANGEL, "武汉市天使投资基金（{n}期）", "武汉天使投资管理有限公司", (10000, 30000), "city", 4),
    (FundKind.TRANSFER, "武汉市科技成果转化基金（{n}期）", "武汉科创投资管理有限公司", (10000, 30000), "city", 3),
    (FundKind.TALENT, "武汉市人才创新创业基金（{n}期）", "武汉人才投资管理有限公司", (5000, 20000), "city", 3),
)
FUND_COUNT = sum(row[5] for row in FUNDS)
CONCESSIONS = (
    "政府出资部分超额收益的50%让渡社会出资人",
    "政府出资部分按同期贷款市场报价利率退出，超额收益全部让渡",
    "对投向园区重点产业链的项目，政府出资部分收益全部让渡",
    "",
)
# Amount range (万元) by stage; the stages of the kinds: an angel fund invests early, a guidance fund late.
AMOUNTS = {
    InvestmentStage.SEED: (50, 500),
    InvestmentStage.START_UP: (200, 2000),
    InvestmentStage.GROWTH: (1000, 5000),
    InvestmentStage.MATURE: (2000, 10000),
}
STAGES = {
    FundKind.GUIDANCE: (InvestmentStage.GROWTH, InvestmentStage.MATURE),
    FundKind.PARK: (InvestmentStage.START_UP, InvestmentStage.GROWTH, InvestmentStage.MATURE),
    FundKind.ANGEL: (InvestmentStage.SEED, InvestmentStage.START_UP),
    FundKind.TRANSFER: (InvestmentStage.SEED, InvestmentStage.START_UP, InvestmentStage.GROWTH),
    FundKind.TALENT: (InvestmentStage.SEED, InvestmentStage.START_UP),
}
FIRST_FUND_DAY = dt.date(2019, 1, 1)


def _manager_uscc(rng: random.Random) -> str:
    tail = "".join(rng.choice(uscc.ALPHABET) for _ in range(6))
    return uscc.make("91420100MA4" + tail)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _funds(rng: random.Random, actor: User, scale: float) -> tuple[int, int]:
    """20 funds and about 300 investments (fewer at a small scale) in the demo's firms, a fifth of
    them in 招商 projects signed or later; a few exited. Returns (funds, investments)."""
    today = clock.today()
    chains = list(IndustryChain.objects.order_by("code"))
    firms = list(Enterprise.objects.filter(synthetic=True).only("pk", "district_id", "park_id").order_by("pk"))
    if not firms:
        return 0, 0
    park_chains: dict[int, list[IndustryChain]] = defaultdict(list)
    for through in Park.lead_chains.through.objects.filter(park__synthetic=True).select_related("industrychain"):
        park_chains[through.park_id].append(through.industrychain)
    by_district: dict[int, list[Enterprise]] = defaultdict(list)
    for firm in firms:
        by_district[firm.district_id].append(firm)
    signed = [stage.value for stage in PIPELINE[PIPELINE.index(Stage.SIGNED) :]]  # 终止 is not in the pipeline
    projects = list(
        Project.objects.filter(synthetic=True, stage__in=signed, district__isnull=False)
        .select_related("chain_node", "enterprise")
        .order_by("pk")
    )
    districts = sorted(by_district, key=lambda pk: -len(by_district[pk]))
    district_rows = {row.pk: row for row in District.objects.filter(pk__in=districts)}
    made: list[Fund] = []
    for kind, name, manager, (low, high), payer, count in FUNDS:
        for n in range(1, count + 1):
            district = district_rows[districts[(n - 1) % len(districts)]] if kind == FundKind.PARK else None
            chain = chains[(len(made) + n) % len(chains)] if chains else None
            label = {"chain": chain.name if chain else "", "district": district.name if district else "", "n": n}
            size = Decimal(rng.randrange(low, high + 1, 1000))
            # The public side commits 20–40% of the size and the social capital the rest; each pays
            # in part of what it committed.
            public_committed = (size * Decimal(str(rng.uniform(0.2, 0.4)))).quantize(Decimal("1"))
            social_committed = size - public_committed
            public = (public_committed * Decimal(str(rng.uniform(0.5, 1.0)))).quantize(Decimal("1"))
            social = (social_committed * Decimal(str(rng.uniform(0.4, 0.9)))).quantize(Decimal("1"))
            made.append(
                funds.fund_record(
                    actor=actor,
                    code=f"DEMO-F{len(made) + 1:02d}",
                    name=name.format(**label),
                    kind=kind,
                    manager=manager.format(**label),
                    manager_uscc=_manager_uscc(rng),
                    established_on=_day_between(rng, FIRST_FUND_DAY, dt.date(2023, 6, 30)),
                    size_wan_yuan=size,
                    city_committed_wan_yuan=public_committed if payer == "city" else Decimal(0),
                    district_committed_wan_yuan=public_committed if payer == "district" else Decimal(0),
                    social_committed_wan_yuan=social_committed,
                    city_paid_wan_yuan=public if payer == "city" else Decimal(0),
                    district_paid_wan_yuan=public if payer == "district" else Decimal(0),
                    social_paid_wan_yuan=social,
                    chains=rng.sample(chains, min(len(chains), rng.randint(1, 3))) if chains else None,
                    concessions=rng.choice(CONCESSIONS),
                    district=district,
                    synthetic=True,
                )
            )
    focus_of = {fund.pk: {chain.pk for chain in fund.chains.all()} for fund in made}
    invested: dict[int, Decimal] = defaultdict(Decimal)
    target = max(30, round(300 * scale))
    created = 0
    for index in range(target * 2):  # some draws are skipped (past the fund's size): stop at the target
        if created >= target:
            break
        fund = made[index % len(made)]
        stage = rng.choice(STAGES[FundKind(fund.kind)])
        low, high = AMOUNTS[stage]
        amount = Decimal(rng.randrange(low, high + 1, 50))
        if invested[fund.pk] + amount > fund.size_wan_yuan:
            continue
        project = rng.choice(projects) if projects and rng.random() < 0.2 else None
        investee: Enterprise | None = None
        if project is None or (fund.district_id is not None and project.district_id != fund.district_id):
            project = None
            pool = by_district.get(fund.district_id, firms) if fund.district_id is not None else firms
            investee = rng.choice(pool)
        chain = None
        if investee is not None and investee.park_id in park_chains:
            options = park_chains[investee.park_id]
            focus = [c for c in options if c.pk in focus_of[fund.pk]]
            chain = rng.choice(focus or options)
        row = funds.fund_investment_record(
            actor=actor,
            fund=fund,
            amount_wan_yuan=amount,
            invested_on=_day_between(rng, max(fund.established_on, FIRST_FUND_DAY), today),
            stage=stage,
            enterprise=investee,
            project=project,
            chain=chain,
            synthetic=True,
        )
        invested[fund.pk] += amount
        created += 1
        if row.invested_on.year <= 2022 and rng.random() < 0.3:
            funds.fund_investment_exit(
                actor=actor,
                investment=row,
                on=_day_between(rng, row.invested_on + dt.timedelta(days=365), today),
                recovered_wan_yuan=(amount * Decimal(str(rng.uniform(0.6, 2.5)))).quantize(Decimal("1")),
                note=rng.choice(("股权回购", "股权转让", "被投企业上市后减持")),
            )
    return len(made), created


# ── 用地计划 ──────────────────────────────────────────────────────────────────────────────────


def _round_mu(value: Decimal) -> Decimal:
    return max((value / 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 10, Decimal(10))


def _plans(rng: random.Random, actor: User) -> int:
    """Each district's plan of the land-sale years and of this year. A past year's plan is near what
    was supplied; where the supply passed it, the city topped it up (市级统筹). This year's plan is
    drawn around the unmet needs of the district's signed projects, so some districts fall short and
    a few of those already have a top-up. Returns the plans set."""
    this_year = clock.today().year
    supplied: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for district_id, day, area in LandSupply.objects.filter(synthetic=True).values_list(
        "district_id", "supplied_on", "area_mu"
    ):
        supplied[(district_id, day.year)] += area
    districts = {row.pk: row for row in District.objects.all()}
    count = 0
    for year in (*YEARS, this_year):
        if year == this_year:
            lines = {line.district_code: line for line in selectors.land_plan(actor, year)}
            wanted = {
                row.pk: line.waiting_mu + line.supplied_mu
                for row in districts.values()
                if (line := lines.get(row.code)) is not None
            }
        else:
            wanted = {district_id: area for (district_id, y), area in supplied.items() if y == year}
        for number, district_id in enumerate(sorted(wanted), start=1):
            district, need = districts[district_id], wanted[district_id]
            if need <= 0:
                continue
            quota = _round_mu(need * Decimal(str(rng.uniform(0.6, 1.3))))
            plan.land_quota_set(
                actor=actor,
                district=district,
                year=year,
                quota_mu=quota,
                basis=f"武资规〔{year}〕{number}号",
                synthetic=True,
            )
            count += 1
            short = need - quota
            if short > 0 and (year != this_year or rng.random() < 0.4):
                topup = short if year != this_year else _round_mu(short * Decimal(str(rng.uniform(0.3, 0.8))))
                plan.land_topup_add(
                    actor=actor, district=district, year=year, topup_mu=topup, basis=f"武资规统筹〔{year}〕{number}号"
                )
    return count


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
    removed += FundInvestment.objects.filter(synthetic=True).delete()[0]
    removed += FundInvestment.objects.filter(enterprise__synthetic=True).delete()[0]
    removed += FundInvestment.objects.filter(project__synthetic=True).delete()[0]
    removed += Fund.objects.filter(synthetic=True).delete()[0]
    removed += LandQuota.objects.filter(synthetic=True).delete()[0]
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

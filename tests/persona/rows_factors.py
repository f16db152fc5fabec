"""要素保障 rows of the persona matrix: the land supply register (page, form, API list and write,
the 弹性供地 share) and the award and subsidy ledger (page, reconciliation export, API list, grant,
awards from a selection, pay, claw back, totals). Readers are the city, the districts and the park
operators; land and grants are recorded by the city and by a district for its own (a parcel or park
outside the district reads as unknown); 产业名园 awards only by the city, from a confirmed selection
(the world's 2025 run is still proposed, so the city is answered 409). The 产业基金 register: every
reader sees the funds and the investments in its own place; the city records funds and investments,
a district its own district's funds and their investments in its firms.

The 市财政局 (persona `finance`, role `finance`, added to the shared world with the other roles'
personas): it reads the overview, the whole ledger with its totals and reconciliation export, and
the funds register with every investment and both exports (`FINANCE_READ`); every write here and the
land, the 用地计划 and the 联席会议 answer it 403, which is each row's default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.persona.matrix import (
    CITY,
    CITY_ADMINS,
    CONFLICT,
    DENIED,
    DISTRICTS,
    DONE,
    DONE_201,
    DONE_302,
    HIDDEN,
    INVALID,
    OK,
    PARKS,
    REFUSED,
    R,
    _count,
    _value,
    access,
)

if TYPE_CHECKING:
    from tests.persona.world import PersonaWorld

READ = access(DENIED, (CITY, OK), (DISTRICTS, OK), (PARKS, OK))
# The 市财政局 (core.permissions.is_finance_reader) reads the overview, the award and subsidy ledger
# and the 产业基金 register, nothing else.
FINANCE_READ = access(DENIED, (CITY, OK), (DISTRICTS, OK), (PARKS, OK), finance_bureau=OK)
SALE = {
    "parcel": "L-PA-1",
    "method": "transfer",
    "term_years": 50,
    "area_mu": "100",
    "land_grade": 1,
    "start_price": "600",
    "final_price": "650",
    "supplied_on": "2025-06-30",
}

ROWS = [
    R("factors:overview", "page", "GET", "/factors/", FINANCE_READ),
    R("GET /api/v1/factors/overview", "figures", "GET", "/api/v1/factors/overview", FINANCE_READ),
    R("factors:land", "page", "GET", "/factors/land/", READ),
    R("factors:land_export", "the register as .xlsx", "GET", "/factors/land/export/", READ, export=True),
    R("factors:land_new", "form", "GET", "/factors/land/new/", access(DENIED, (CITY_ADMINS, OK), (DISTRICTS, OK))),
    R(
        "factors:land_new",
        "record a sale on L-PA-1",
        "POST",
        "/factors/land/new/",
        # 蔡甸 does not see L-PA-1: the form comes back with “未找到地块” and nothing is written.
        access(DENIED, (CITY_ADMINS, DONE_302), district_jiangxia=DONE_302, district_caidian=OK),
        body=SALE,
        write=_count("factors.LandSupply"),
    ),
    R("GET /api/v1/factors/land", "list", "GET", "/api/v1/factors/land", READ),
    R(
        "POST /api/v1/factors/land",
        "record a sale on L-PA-1",
        "POST",
        "/api/v1/factors/land",
        access(DENIED, (CITY_ADMINS, DONE_201), district_jiangxia=DONE_201, district_caidian=INVALID),
        body=SALE,
        write=_count("factors.LandSupply"),
    ),
    R("GET /api/v1/factors/land/flexible-share", "shares", "GET", "/api/v1/factors/land/flexible-share", READ),
]

# 用地计划: every reader has the page (a district its own plan, the city all); only the city sets a
# plan or adds a top-up ({land_quota} is 江夏's 2026 plan).
QUOTA = {"district": "420114", "year": 2026, "quota_mu": "120", "basis": "武资规〔2026〕5号"}
TOPUP = {"district": "420115", "year": 2026, "topup_mu": "10", "basis": "武资规〔2026〕9号"}
ROWS += [
    R("factors:land_plan", "page", "GET", "/factors/land-plan/", READ),
    R("factors:land_plan_export", "as .xlsx", "GET", "/factors/land-plan/export/?year=2026", READ, export=True),
    R(
        "factors:land_plan_quota",
        "set 蔡甸's plan",
        "POST",
        "/factors/land-plan/quota/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body=QUOTA,
        write=_count("factors.LandQuota"),
    ),
    R(
        "factors:land_plan_topup",
        "top up 江夏's plan",
        "POST",
        "/factors/land-plan/topup/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body=TOPUP,
        write=_value("factors.LandQuota", "topup_mu", pk="{land_quota}"),
    ),
    R("GET /api/v1/factors/land-plan", "the year's plans", "GET", "/api/v1/factors/land-plan?year=2026", READ),
    R(
        "POST /api/v1/factors/land-plan/quotas",
        "set 蔡甸's plan",
        "POST",
        "/api/v1/factors/land-plan/quotas",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body=QUOTA,
        write=_count("factors.LandQuota"),
    ),
    R(
        "POST /api/v1/factors/land-plan/topups",
        "top up 江夏's plan",
        "POST",
        "/api/v1/factors/land-plan/topups",
        access(DENIED, (CITY_ADMINS, DONE)),
        body=TOPUP,
        write=_value("factors.LandQuota", "topup_mu", pk="{land_quota}"),
    ),
]

GRANT = {
    "kind": "planning_grant",
    "amount_wan_yuan": "50",
    "basis": "保障措施（四）：园区规划编制",
    "decision_number": "江财〔2026〕3号",
    "approved_on": "2026-01-15",
    "park": "PA",
}
# The entry {ledger_entry}: 江夏's grant to PA's operator; 蔡甸 and PC's operator do not see it.
ENTRY_WRITE = access(
    DENIED, (CITY_ADMINS, DONE), district_jiangxia=DONE, district_caidian=HIDDEN, park_operator_pc=HIDDEN
)

ROWS += [
    R("factors:ledger", "page", "GET", "/factors/ledger/", FINANCE_READ),
    R(
        "factors:ledger",
        "awards of a proposed selection",
        "POST",
        "/factors/ledger/",
        # The page takes the city's post back to the ledger with “名单尚未确认”; any other role is refused.
        access(DENIED, (CITY_ADMINS, REFUSED)),
        body={"run": "{run}", "decision_number": "武财〔2026〕1号", "approved_on": "2026-01-15"},
        write=_count("factors.LedgerEntry"),
    ),
    R("factors:ledger_export", "reconciliation", "GET", "/factors/ledger/export/", FINANCE_READ, export=True),
    R("GET /api/v1/factors/ledger", "list", "GET", "/api/v1/factors/ledger", FINANCE_READ),
    R(
        "POST /api/v1/factors/ledger",
        "a grant to PA",
        "POST",
        "/api/v1/factors/ledger",
        access(DENIED, (CITY_ADMINS, DONE_201), district_jiangxia=DONE_201, district_caidian=INVALID),
        body=GRANT,
        write=_count("factors.LedgerEntry"),
    ),
    R(
        "POST /api/v1/factors/ledger/awards",
        "a proposed selection",
        "POST",
        "/api/v1/factors/ledger/awards",
        access(DENIED, (CITY_ADMINS, CONFLICT)),
        body=lambda refs: {"run": int(refs["run"]), "decision_number": "武财〔2026〕1号", "approved_on": "2026-01-15"},
        write=_count("factors.LedgerEntry"),
    ),
    R(
        "POST /api/v1/factors/ledger/{entry_id}/pay",
        "pay 江夏's grant",
        "POST",
        "/api/v1/factors/ledger/{ledger_entry}/pay",
        ENTRY_WRITE,
        body={"paid_on": "2026-03-10"},
        write=_value("factors.LedgerEntry", "status", pk="{ledger_entry}"),
    ),
    R(
        "POST /api/v1/factors/ledger/{entry_id}/claw-back",
        "claw back 江夏's grant",
        "POST",
        "/api/v1/factors/ledger/{ledger_entry}/claw-back",
        ENTRY_WRITE,
        body={"on": "2026-03-10", "reason": "核减"},
        write=_value("factors.LedgerEntry", "status", pk="{ledger_entry}"),
    ),
    R("GET /api/v1/factors/ledger/totals", "totals", "GET", "/api/v1/factors/ledger/totals", FINANCE_READ),
]


# The page forms of the ledger: a grant (蔡甸 does not see PA: the form comes back with “未找到园区”),
# paying and clawing back 江夏's grant.
PAGE_ENTRY_WRITE = access(
    DENIED,
    (CITY_ADMINS, DONE_302),
    district_jiangxia=DONE_302,
    district_caidian=HIDDEN,
    park_operator_pc=HIDDEN,
)

ROWS += [
    R(
        "factors:ledger_grant",
        "a grant to PA",
        "POST",
        "/factors/ledger/grant/",
        access(DENIED, (CITY_ADMINS, DONE_302), district_jiangxia=DONE_302, district_caidian=REFUSED),
        body=GRANT,
        write=_count("factors.LedgerEntry"),
    ),
    R(
        "factors:ledger_pay",
        "pay 江夏's grant",
        "POST",
        "/factors/ledger/{ledger_entry}/pay/",
        PAGE_ENTRY_WRITE,
        body={"paid_on": "2026-03-10"},
        write=_value("factors.LedgerEntry", "status", pk="{ledger_entry}"),
    ),
    R(
        "factors:ledger_claw_back",
        "claw back 江夏's grant",
        "POST",
        "/factors/ledger/{ledger_entry}/claw-back/",
        PAGE_ENTRY_WRITE,
        body={"on": "2026-03-10", "reason": "核减"},
        write=_value("factors.LedgerEntry", "status", pk="{ledger_entry}"),
    ),
]

FUND = {
    "code": "F-NEW-1",
    "name": "园区成果转化基金",
    "kind": "transfer",
    "manager": "武汉成果转化基金管理有限公司",
    "established_on": "2025-01-01",
    "size_wan_yuan": "20000",
    "city_paid_wan_yuan": "5000",
}
INVESTMENT = {"stage": "seed", "instrument": "equity", "invested_on": "2025-06-01", "amount_wan_yuan": "300"}
# {fund} is 江夏's park fund: the city and 江夏 invest from it; the others read it but may not.
FUND_WRITE = access(DENIED, (CITY_ADMINS, DONE_201), district_jiangxia=DONE_201)
FUND_PAGE_WRITE = access(DENIED, (CITY_ADMINS, DONE_302), district_jiangxia=DONE_302)
# {fund_investment} is its investment in E1 (PA, 江夏): 蔡甸 and PC's operator do not see it.
EXIT = {"on": "2025-12-01", "recovered_wan_yuan": "900", "note": "股权回购"}

ROWS += [
    R("factors:funds", "page", "GET", "/factors/funds/", FINANCE_READ),
    R(
        "factors:funds",
        "record a fund",
        "POST",
        "/factors/funds/",
        access(DENIED, (CITY_ADMINS, DONE_302), (DISTRICTS, DONE_302)),
        body=FUND,
        write=_count("factors.Fund"),
    ),
    R("factors:funds_export", "the register as .xlsx", "GET", "/factors/funds/export/", FINANCE_READ, export=True),
    R("factors:fund", "a fund's portfolio", "GET", "/factors/funds/{fund}/", FINANCE_READ),
    R("factors:fund_export", "its portfolio", "GET", "/factors/funds/{fund}/export/", FINANCE_READ, export=True),
    R(
        "factors:fund_invest",
        "invest 江夏's fund in E1",
        "POST",
        "/factors/funds/{fund}/invest/",
        FUND_PAGE_WRITE,
        body=lambda refs: {**INVESTMENT, "enterprise": refs["uscc"]},
        write=_count("factors.FundInvestment"),
    ),
    R(
        "factors:investment_exit",
        "exit the investment in E1",
        "POST",
        "/factors/investments/{fund_investment}/exit/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            district_jiangxia=DONE_302,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
        ),
        body=EXIT,
        write=_value("factors.FundInvestment", "exited_on", pk="{fund_investment}"),
    ),
    R("GET /api/v1/factors/funds", "list", "GET", "/api/v1/factors/funds", FINANCE_READ),
    R(
        "POST /api/v1/factors/funds",
        "record a fund",
        "POST",
        "/api/v1/factors/funds",
        access(DENIED, (CITY_ADMINS, DONE_201), (DISTRICTS, DONE_201)),
        body=FUND,
        write=_count("factors.Fund"),
    ),
    R("GET /api/v1/factors/funds/totals", "totals", "GET", "/api/v1/factors/funds/totals?by=park", FINANCE_READ),
    R("GET /api/v1/factors/funds/{fund_id}", "a fund", "GET", "/api/v1/factors/funds/{fund}", FINANCE_READ),
    R(
        "GET /api/v1/factors/funds/{fund_id}/investments",
        "its portfolio",
        "GET",
        "/api/v1/factors/funds/{fund}/investments",
        FINANCE_READ,
    ),
    R(
        "POST /api/v1/factors/funds/{fund_id}/investments",
        "invest 江夏's fund in E1",
        "POST",
        "/api/v1/factors/funds/{fund}/investments",
        FUND_WRITE,
        body=lambda refs: {**INVESTMENT, "enterprise": refs["uscc"]},
        write=_count("factors.FundInvestment"),
    ),
    R(
        "POST /api/v1/factors/investments/{investment_id}/exit",
        "exit the investment in E1",
        "POST",
        "/api/v1/factors/investments/{fund_investment}/exit",
        access(DENIED, (CITY_ADMINS, DONE), district_jiangxia=DONE, district_caidian=HIDDEN, park_operator_pc=HIDDEN),
        body=EXIT,
        write=_value("factors.FundInvestment", "exited_on", pk="{fund_investment}"),
    ),
]

MEETING = {
    "held_on": "2026-03-20",
    "title": "2026年第二次联席会议",
    "convener": "分管副市长",
    "units": ["jxj", "zjj"],
    "agenda": "园区用地保障",
}
DECISION = {"text": "制定弹性年期出让实施细则", "lead": "zjj", "co_units": ["jxj"], "due_on": "2026-06-30"}
CITY_WRITE = access(DENIED, (CITY_ADMINS, DONE_201))

ROWS += [
    R("factors:meetings", "page", "GET", "/factors/meetings/", READ),
    R("factors:meetings_export", "the register as .xlsx", "GET", "/factors/meetings/export/", READ, export=True),
    R("factors:meeting", "a meeting", "GET", "/factors/meetings/{meeting}/", READ),
    R(
        "factors:minutes_upload",
        "upload minutes",
        "POST",
        "/factors/meetings/{meeting}/minutes/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        files="files",
        write=_count("factors.MeetingMinutes"),
    ),
    R("factors:minutes", "download minutes", "GET", "/factors/minutes/{minutes}/", READ, export=True),
    R("GET /api/v1/factors/meetings", "list", "GET", "/api/v1/factors/meetings", READ),
    R(
        "POST /api/v1/factors/meetings",
        "record a meeting",
        "POST",
        "/api/v1/factors/meetings",
        CITY_WRITE,
        body=MEETING,
        write=_count("factors.Meeting"),
    ),
    R("GET /api/v1/factors/meetings/{meeting_id}", "a meeting", "GET", "/api/v1/factors/meetings/{meeting}", READ),
    R(
        "POST /api/v1/factors/meetings/{meeting_id}/decisions",
        "a decision becomes a task",
        "POST",
        "/api/v1/factors/meetings/{meeting}/decisions",
        CITY_WRITE,
        body=DECISION,
        write=_count("factors.MeetingDecision"),
    ),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    """A grant 江夏 approved to PA's operator, recorded through the ledger service, and a meeting of
    the 联席会议 with one decision."""
    import datetime as dt
    from decimal import Decimal

    from yuanqu.factors.services import conference, ledger_entry_record
    from yuanqu.registry.models import ResponsibleUnit

    entry = ledger_entry_record(
        actor=world.users["district_jiangxia"],
        kind="planning_grant",
        amount_wan_yuan=Decimal("80"),
        basis="保障措施（四）：园区规划编制",
        decision_number="江财〔2026〕1号",
        approved_on=dt.date(2026, 1, 15),
        park=world.base.parks["PA"],
    )
    units = {unit.code: unit for unit in ResponsibleUnit.objects.filter(code__in=("jxj", "zjj"))}
    meeting = conference.meeting_record(
        actor=world.users["city_admin"],
        held_on=dt.date(2026, 3, 1),
        title="2026年第一次联席会议",
        convener="分管副市长",
        units=list(units.values()),
        agenda="产业名园奖励资金安排",
    )
    conference.decision_add(
        actor=world.users["city_admin"],
        meeting=meeting,
        text="落实奖励资金",
        lead=units["jxj"],
        due_on=dt.date(2026, 4, 30),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.persona.world import PDF

    minutes = conference.minutes_attach(
        actor=world.users["city_admin"],
        meeting=meeting,
        files=[SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")],
    )[0]
    from yuanqu.factors.services import funds, plan

    land_quota = plan.land_quota_set(
        actor=world.users["city_admin"],
        district=world.base.districts["jiangxia"],
        year=2026,
        quota_mu=Decimal("200"),
        basis="武资规〔2026〕1号",
    )

    fund = funds.fund_record(
        actor=world.users["district_jiangxia"],
        code="F-JX-1",
        name="江夏区园区产业基金",
        kind="park",
        manager="江夏产业投资管理有限公司",
        established_on=dt.date(2024, 1, 1),
        size_wan_yuan=Decimal("10000"),
        district_paid_wan_yuan=Decimal("3000"),
    )
    investment = funds.fund_investment_record(
        actor=world.users["district_jiangxia"],
        fund=fund,
        enterprise=world.base.enterprises["E1"],
        amount_wan_yuan=Decimal("500"),
        invested_on=dt.date(2025, 3, 1),
        stage="start_up",
    )
    return {
        "ledger_entry": str(entry.pk),
        "meeting": str(meeting.pk),
        "minutes": str(minutes.pk),
        "fund": str(fund.pk),
        "fund_investment": str(investment.pk),
        "land_quota": str(land_quota.pk),
    }

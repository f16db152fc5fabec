"""The 要素保障 registers as registered exports (core.exports): the land supply register (each sale
with its 基准地价 check, and the 弹性供地 share per district and year), the funds register (each fund
with what the reader's visible investments put into firms, and those investments), a fund's
portfolio (its investments with their totals by chain and by stage) and the 联席会议 register (each
meeting, and each decision with its units, deadline and the 督办 task's status). Rows are read through the selectors
(`visible_to`) for the user who asked, so a district's file holds the investments in its own place;
an export of more than YUANQU_EXPORT_INLINE_ROWS rows is written by a background job. Registered in
FactorsConfig.ready(); every export is audited by core.exports. File names stay in the platform's
language (they are also the audit log's object_repr); sheets and headers follow the page's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_noop

from yuanqu.casework import clock
from yuanqu.core.access import get_visible_or_404
from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User
from yuanqu.factors import selectors
from yuanqu.factors.models import Fund, FundInvestment, LandSupply, MeetingDecision
from yuanqu.targets.models import SupervisedTask, TaskAssignment

LAND = "factors_land"
LAND_PLAN = "factors_land_plan"
FUNDS = "factors_funds"
PORTFOLIO = "factors_fund_portfolio"
MEETINGS = "factors_meetings"
ERR_FUND = gettext_noop("基金不存在或不在您的权限范围内")
ERR_YEAR = gettext_noop("年度无效")

FUND_HEADERS = (
    gettext_noop("基金编号"),
    gettext_noop("基金名称"),
    gettext_noop("基金类别"),
    gettext_noop("基金管理人"),
    gettext_noop("管理人统一社会信用代码"),
    gettext_noop("设立日期"),
    gettext_noop("所属区"),
    gettext_noop("认缴规模（万元）"),
    gettext_noop("市级财政认缴（万元）"),
    gettext_noop("区级财政认缴（万元）"),
    gettext_noop("社会资本认缴（万元）"),
    gettext_noop("市级财政实缴（万元）"),
    gettext_noop("区级财政实缴（万元）"),
    gettext_noop("社会资本实缴（万元）"),
    gettext_noop("实缴合计（万元）"),
    gettext_noop("重点投向产业链"),
    gettext_noop("让利条款"),
    gettext_noop("投资金额（万元）"),
    gettext_noop("覆盖企业数"),
)
INVESTMENT_HEADERS = (
    gettext_noop("基金编号"),
    gettext_noop("基金名称"),
    gettext_noop("被投企业名称"),
    gettext_noop("被投企业统一社会信用代码"),
    gettext_noop("所属区"),
    gettext_noop("园区"),
    gettext_noop("产业链"),
    gettext_noop("招商项目编号"),
    gettext_noop("投资阶段"),
    gettext_noop("投资方式"),
    gettext_noop("投资日期"),
    gettext_noop("投资金额（万元）"),
    gettext_noop("退出日期"),
    gettext_noop("退出回收（万元）"),
    gettext_noop("退出方式"),
)
TOTAL_HEADERS = (
    gettext_noop("分组"),
    gettext_noop("投资金额（万元）"),
    gettext_noop("投资笔数"),
    gettext_noop("覆盖企业数"),
    gettext_noop("已退出（万元）"),
)


LAND_HEADERS = (
    gettext_noop("地块编号"),
    gettext_noop("所属区"),
    gettext_noop("园区"),
    gettext_noop("供地方式"),
    gettext_noop("年期（年）"),
    gettext_noop("面积（亩）"),
    gettext_noop("土地等别"),
    gettext_noop("起始价（元/平方米）"),
    gettext_noop("成交价（元/平方米）"),
    gettext_noop("基准地价（元/平方米）"),
    gettext_noop("基准地价公布年份"),
    gettext_noop("基准地价来源"),
    gettext_noop("起始价占基准地价比例（%）"),
    gettext_noop("低于起始价下限"),
    gettext_noop("低于下限的原因"),
    gettext_noop("批准文号"),
    gettext_noop("供地日期"),
    gettext_noop("招商项目编号"),
    gettext_noop("用地企业"),
    gettext_noop("带方案出让"),
    gettext_noop("免收城市基础设施配套费（万元）"),
)
SHARE_HEADERS = (
    gettext_noop("所属区"),
    gettext_noop("年份"),
    gettext_noop("弹性供地（亩）"),
    gettext_noop("供地总面积（亩）"),
    gettext_noop("弹性供地比例（%）"),
)


PLAN_HEADERS = (
    gettext_noop("区"),
    gettext_noop("新增工业建设用地计划（亩）"),
    gettext_noop("市级统筹保障（亩）"),
    gettext_noop("本年已供地（亩）"),
    gettext_noop("计划余量（亩）"),
    gettext_noop("签约及以后项目未满足用地需求（亩）"),
    gettext_noop("缺口（亩）"),
)
WAITING_HEADERS = (
    gettext_noop("区"),
    gettext_noop("项目编号"),
    gettext_noop("项目名称"),
    gettext_noop("阶段"),
    gettext_noop("签约日期"),
    gettext_noop("未满足用地需求（亩）"),
    gettext_noop("累计（亩）"),
    gettext_noop("超出计划余量"),
)

MEETING_HEADERS = (
    gettext_noop("会议日期"),
    gettext_noop("会议名称"),
    gettext_noop("召集人"),
    gettext_noop("参会单位"),
    gettext_noop("议程"),
    gettext_noop("议定事项数"),
    gettext_noop("会议纪要（份）"),
)
DECISION_HEADERS = (
    gettext_noop("会议日期"),
    gettext_noop("会议名称"),
    gettext_noop("序号"),
    gettext_noop("议定事项"),
    gettext_noop("牵头单位"),
    gettext_noop("配合单位"),
    gettext_noop("完成时限"),
    gettext_noop("督办状态"),
    gettext_noop("已超期"),
)


def _headers(names: tuple[str, ...]) -> list[str]:
    return [gettext(name) for name in names]


def _investment_rows(rows: QuerySet[FundInvestment]) -> Iterator[list[Any]]:
    for row in rows.order_by("fund__code", "invested_on", "pk").iterator(chunk_size=1000):
        yield [
            row.fund.code,
            row.fund.name,
            row.investee_name,
            row.investee_uscc,
            row.district.name,
            row.park.name if row.park else "",
            row.chain.name if row.chain else "",
            row.project.number if row.project else "",
            row.get_stage_display(),
            row.get_instrument_display(),
            row.invested_on,
            row.amount_wan_yuan,
            row.exited_on,
            row.exit_wan_yuan,
            row.exit_note,
        ]


def _land_rows(rows: QuerySet[LandSupply]) -> Iterator[list[Any]]:
    yes = gettext("是")
    for row in rows.order_by("supplied_on", "pk").iterator(chunk_size=1000):
        yield [
            row.parcel.code,
            row.district.name,
            row.park.name if row.park else "",
            row.get_method_display(),
            row.term_years,
            row.area_mu,
            row.land_grade,
            row.start_price,
            row.final_price,
            row.base_price,
            row.base_price_year,
            row.base_price_source,
            row.start_percent,
            yes if row.below_floor else "",
            row.exception_reason,
            row.exception_approval,
            row.supplied_on,
            row.project.number if row.project else "",
            row.enterprise.name if row.enterprise else "",
            yes if row.with_plan else "",
            row.fee_waiver_wan_yuan,
        ]


def land_export(user: User, query: dict[str, str]) -> ExportData:
    """The land supply register the user sees (a district its own), with the 弹性供地 shares."""
    supplies = selectors.land_supplies(user)
    if query.get("flagged") == "1":
        supplies = supplies.filter(below_floor=True)
    shares = [
        [share.district_name, share.year, share.flexible_mu, share.total_mu, share.percent]
        for share in selectors.flexible_shares(user)
    ]
    return ExportData(
        rows=supplies.count() + len(shares),
        sheets=[
            (gettext("供地登记"), _headers(LAND_HEADERS), _land_rows(supplies)),
            (gettext("弹性供地比例"), _headers(SHARE_HEADERS), shares),
        ],
        detail="导出供地登记" + ("（低于下限）" if query.get("flagged") == "1" else ""),
    )


def plan_year(query: dict[str, str]) -> int:
    value = query.get("year", "")
    if not value.isdigit() or len(value) != 4:
        raise Http404(gettext(ERR_YEAR))
    return int(value)


def land_plan_export(user: User, query: dict[str, str]) -> ExportData:
    """The year's 用地计划 the user reads (the city all districts, a district its own) with the
    projects waiting for land in signing order."""
    year = plan_year(query)
    lines = selectors.land_plan(user, year)
    plans = [
        [
            line.district_name,
            line.quota_mu if line.quota_mu is not None else gettext("未登记"),
            line.topup_mu,
            line.supplied_mu,
            line.left_mu,
            line.waiting_mu,
            line.shortfall_mu,
        ]
        for line in lines
    ]
    beyond = gettext("超出计划余量")
    waiting = [
        [
            line.district_name,
            p.number,
            p.name,
            p.stage,
            p.signed_on,
            p.need_mu,
            p.cumulative_mu,
            beyond if p.beyond_plan else "",
        ]
        for line in lines
        for p in line.projects
    ]
    return ExportData(
        rows=len(plans) + len(waiting),
        sheets=[
            (gettext("用地计划"), _headers(PLAN_HEADERS), plans),
            (gettext("待供地项目"), _headers(WAITING_HEADERS), waiting),
        ],
        detail=f"导出{year}年度用地计划",
    )


def funds_export(user: User, query: dict[str, str]) -> ExportData:
    """The register: every fund the user reads, with the investments the user sees."""
    funds = list(selectors.funds(user))
    investments = selectors.fund_investments(user)
    fund_rows = [
        [
            fund.code,
            fund.name,
            fund.get_kind_display(),
            fund.manager,
            fund.manager_uscc,
            fund.established_on,
            fund.district.name if fund.district else "",
            fund.size_wan_yuan,
            fund.city_committed_wan_yuan,
            fund.district_committed_wan_yuan,
            fund.social_committed_wan_yuan,
            fund.city_paid_wan_yuan,
            fund.district_paid_wan_yuan,
            fund.social_paid_wan_yuan,
            fund.paid_in_wan_yuan,
            "、".join(chain.name for chain in fund.chains.all()),
            fund.concessions,
            getattr(fund, "invested", None) or 0,
            getattr(fund, "firms", 0),
        ]
        for fund in funds
    ]
    return ExportData(
        rows=len(fund_rows) + investments.count(),
        sheets=[
            (gettext("产业基金"), _headers(FUND_HEADERS), fund_rows),
            (gettext("基金投资"), _headers(INVESTMENT_HEADERS), _investment_rows(investments)),
        ],
        detail="导出产业基金名录",
    )


def portfolio_fund(user: User, query: dict[str, str]) -> Fund:
    """The fund the query names, if the user may read it (else Http404)."""
    value = query.get("fund", "")
    if not value.isdigit() or len(value) > 12:
        raise Http404(gettext(ERR_FUND))
    return get_visible_or_404(Fund.objects.all(), user, pk=int(value))


def _total_rows(user: User, by: str, fund: Fund) -> list[list[Any]]:
    return [
        [total.label or "—", total.invested_wan_yuan, total.investments, total.firms, total.exited_wan_yuan]
        for total in selectors.fund_totals(user, by, fund)
    ]


def portfolio_export(user: User, query: dict[str, str]) -> ExportData:
    """A fund's portfolio: the investments the user sees, and their totals by chain and by stage."""
    fund = portfolio_fund(user, query)
    investments = selectors.fund_investments(user, fund)
    by_chain = _total_rows(user, "chain", fund)
    by_stage = _total_rows(user, "stage", fund)
    return ExportData(
        rows=investments.count() + len(by_chain) + len(by_stage),
        sheets=[
            (gettext("投资组合"), _headers(INVESTMENT_HEADERS), _investment_rows(investments)),
            (gettext("按产业链"), _headers(TOTAL_HEADERS), by_chain),
            (gettext("按投资阶段"), _headers(TOTAL_HEADERS), by_stage),
        ],
        detail=f"导出基金投资组合：{fund.code} {fund.name}",
    )


def _portfolio_name(query: dict[str, str]) -> str:
    value = query.get("fund", "")
    return f"基金投资组合-{value}" if value.isdigit() else "基金投资组合"


def meetings_export(user: User, query: dict[str, str]) -> ExportData:
    """The 联席会议 register the user reads: each meeting, and each decision with its lead and
    co-units, its deadline and the status of the supervised task it became (overdue as on the board)."""
    meetings = list(selectors.meetings(user).prefetch_related("minutes").annotate(decision_count=Count("decisions")))
    today = clock.today()
    yes = gettext("是")
    units = Prefetch("task__assignments", TaskAssignment.objects.select_related("unit"))
    decisions = (
        MeetingDecision.objects.visible_to(user)
        .select_related("meeting", "task")
        .prefetch_related(units)
        .order_by("meeting__held_on", "meeting_id", "number")
    )
    meeting_rows = [
        [
            row.held_on,
            row.title,
            row.convener,
            "、".join(unit.name for unit in row.units.all()),
            row.agenda,
            row.decision_count,
            len(row.minutes.all()),
        ]
        for row in meetings
    ]
    decision_rows = []
    for row in decisions:
        assignments = row.task.assignments.all()
        decision_rows.append(
            [
                row.meeting.held_on,
                row.meeting.title,
                row.number,
                row.text,
                "、".join(a.unit.name for a in assignments if a.role == TaskAssignment.Role.LEAD),
                "、".join(a.unit.name for a in assignments if a.role != TaskAssignment.Role.LEAD),
                row.due_on,
                row.task.get_status_display(),
                yes if row.due_on < today and row.task.status != SupervisedTask.Status.COMPLETED else "",
            ]
        )
    return ExportData(
        rows=len(meeting_rows) + len(decision_rows),
        sheets=[
            (gettext("联席会议"), _headers(MEETING_HEADERS), meeting_rows),
            (gettext("议定事项"), _headers(DECISION_HEADERS), decision_rows),
        ],
        detail="导出联席会议及议定事项",
    )


def _land_plan_name(query: dict[str, str]) -> str:
    return f"用地计划-{query.get('year', '')}"


# The exports of this app, registered by `FactorsConfig.ready()`: code, label, file name, the audit
# log's object type, the rows, and the file's name when it depends on the query.
EXPORTS = (
    Export(LAND, gettext_noop("供地登记"), "供地登记", "factors.LandSupply", land_export),
    Export(LAND_PLAN, gettext_noop("用地计划"), "用地计划", "factors.LandQuota", land_plan_export, _land_plan_name),
    Export(FUNDS, gettext_noop("产业基金名录"), "产业基金名录", "factors.Fund", funds_export),
    Export(
        PORTFOLIO,
        gettext_noop("基金投资组合"),
        "基金投资组合",
        "factors.FundInvestment",
        portfolio_export,
        _portfolio_name,
    ),
    Export(MEETINGS, gettext_noop("联席会议及议定事项"), "联席会议及议定事项", "factors.Meeting", meetings_export),
)

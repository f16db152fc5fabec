"""目标体系 and 督办 pages: the target board, a target, the task board, a task with its reports,
comments and presses, and the attachment download. Thin: reads through selectors, writes through
services, 404 outside the user's scope, exports through core.exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.downloads import file_download
from yuanqu.core.exports import xlsx_response
from yuanqu.core.forms import PageForm, take_post
from yuanqu.core.language import localised
from yuanqu.core.listing import say_ignored
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user
from yuanqu.core.pagecache import cached_page
from yuanqu.core.permissions import is_city_admin
from yuanqu.core.readcache import cached_read
from yuanqu.indicators.catalogue import policy_pack
from yuanqu.indicators.describe import describe
from yuanqu.indicators.models import ScopeKind
from yuanqu.indicators.templatetags.indicator_format import chart_labels, format_number, period_label, unit_label
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets import selectors, services
from yuanqu.targets.forms import TaskCommentForm, TaskPressForm, TaskReportForm, TaskStatusForm
from yuanqu.targets.models import (
    ReportAttachment,
    SupervisedTask,
    TaskReport,
    quarter_label,
    quarter_start,
    quarters,
)
from yuanqu.targets.pack import TARGETS
from yuanqu.targets.selectors import TargetRow

NO_DATA = gettext_noop("无数据")
# Texts of the pack and of the projection that the pages show, kept in Chinese where they are defined
# (targets.yaml status_rules, yuanqu.targets.projection) and translated when a page is rendered.
PACK_TEXTS = (
    gettext_noop("已达标"),
    gettext_noop("按进度"),
    gettext_noop("滞后"),
    gettext_noop("严重滞后"),
    gettext_noop("最新值已满足目标的比较条件"),
    gettext_noop("进度比不低于0.9"),
    gettext_noop("进度比不低于0.6但低于0.9"),
    gettext_noop("进度比低于0.6（含较基期倒退）"),
    gettext_noop("对数线性趋势（年均增速恒定）"),
    gettext_noop("线性趋势"),
)


def _units(codes: tuple[str, ...]) -> str:
    layout = policy_pack().section(LAYOUT)
    return "、".join(layout.unit(code).name for code in codes if code in {unit.code for unit in layout.units})


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _board_json(rows: list[TargetRow]) -> list[dict[str, Any]]:
    data = []
    for row in rows:
        progress = row.progress
        if progress is None:
            continue
        data.append(
            {
                "code": row.target.code,
                "name": row.display_name,
                "progress": _percent(progress.progress),
                "elapsed": _percent(progress.time_elapsed),
                "status": progress.status.code if progress.status else "none",
                "status_name": gettext(progress.status.name if progress.status else NO_DATA),
                "latest": f"{format_number(progress.latest.value, row.target.unit)} {unit_label(row.target.unit)}"
                if progress.latest
                else "—",
                "url": reverse("targets:detail", args=[row.target.code]),
            }
        )
    return data


def _target_sheet(rows: list[TargetRow]) -> list[list[Any]]:
    lines = []
    for row in rows:
        p = row.progress
        projection = p.projection if p else None
        lines.append(
            [
                row.target.code,
                row.target.name,
                row.scope_name,
                "进度目标" if row.target.kind == "goal" else "约束",
                f"{row.target.comparison} {row.target.value:g}",
                # Assessed park by park: the values that follow are the share of parks over the line.
                PARKS_SHARE_UNIT if row.target.assess_by else row.target.unit,
                p.baseline.value if p and p.baseline else None,
                p.latest.label if p and p.latest else None,
                p.latest.value if p and p.latest else None,
                _percent(p.progress) if p else None,
                _percent(p.time_elapsed) if p else None,
                _status_name(row),
                _percent(p.required_growth) if p else None,
                projection.value if projection else None,
                projection.low if projection else None,
                projection.high if projection else None,
                _units(row.target.units),
            ]
        )
    return lines


PARKS_SHARE_UNIT = "%（超过目标值的园区占比，逐园考核）"


def _status_name(row: TargetRow) -> str:
    if row.progress is not None and row.progress.status is not None:
        return row.progress.status.name
    return "约束（逐项核验）" if row.target.kind == "constraint" else "无数据"


TARGET_HEADERS = [
    "代码",
    "目标",
    "范围",
    "类型",
    "目标值",
    "单位",
    "2024年基期值",
    "最新统计期",
    "最新值",
    "进度（%）",
    "时间进度（%）",
    "状态",
    "年均还需增长（%）",
    "2027年预测",
    "预测区间下限",
    "预测区间上限",
    "责任单位",
]


@login_required
@require_GET
@cached_page("target_board")
def board(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    rows = cached_read("target_board", user, (), lambda: selectors.target_rows(user))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            actor=user,
            filename="2027年目标进度",
            object_type="targets.Target",
            sheets=[("目标进度", TARGET_HEADERS, _target_sheet(rows))],
        )
    goals = [row for row in rows if row.is_goal]
    counts: dict[str, int] = {}
    for row in goals:
        key = row.progress.status.name if row.progress and row.progress.status else NO_DATA
        counts[key] = counts.get(key, 0) + 1
    rules = [rule.name for rule in _pack_rules()]
    board_labels = {
        "progress": gettext("目标进度"),
        "elapsed": gettext("时间进度"),
        "status": gettext("状态："),
        "ratio": gettext("进度："),
        "elapsed_of": gettext("时间进度："),
        "latest": gettext("最新值："),
    }
    return render(
        request,
        "targets/board.html",
        {
            "goals": [(row, _units(row.target.units)) for row in goals],
            "constraints": [(row, _units(row.target.units)) for row in rows if not row.is_goal],
            "status_tiles": _tiles(rules, counts),
            "board_data": _board_json(goals),
            "board_labels": board_labels,
        },
    )


def _tiles(rules: list[str], counts: dict[str, int]) -> list[tuple[str, int]]:
    names = [*rules, NO_DATA] if NO_DATA in counts else rules
    return [(gettext(name), counts.get(name, 0)) for name in names]


def _pack_rules() -> Any:
    return policy_pack().section(TARGETS).status_rules.rules


def _chart_unit(row: TargetRow) -> str:
    if row.target.comparison == "growth_ge":
        return unit_label(row.indicator.unit) if row.indicator else ""
    return unit_label(row.target.unit)


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = page_user(request, auditors=False)
    try:
        row = selectors.target_row(user, code)
    except KeyError as exc:
        raise Http404(gettext("目标不存在")) from exc
    progress = row.progress
    chart: dict[str, Any] = {
        "unit": _chart_unit(row),
        "years": [[item.end.isoformat(), item.value] for item in row.years],
        "months": [[item.end.isoformat(), item.value] for item in row.months]
        if row.indicator is not None and progress is not None and progress.latest and progress.latest.month
        else [],
        "goal": round(progress.goal, 4) if progress is not None and progress.goal == progress.goal else None,
        "projection": None,
        "labels": chart_labels(),
    }
    if row.parks_meeting is not None or row.target.assess_by:
        # Assessed park by park: the chart draws the type's aggregate against the line; the progress
        # and projection above are of the share of parks over the line, a different quantity.
        chart["goal"] = row.target.value
    elif progress is not None and progress.projection is not None:
        p = progress.projection
        chart["projection"] = {
            "at": p.at.isoformat(),
            "value": p.value,
            "low": p.low,
            "high": p.high,
            "fitted": [[day.isoformat(), value] for day, value in p.fitted],
        }
    district = selectors.contributions(user, row, ScopeKind.DISTRICT)
    parks = selectors.contributions(user, row, ScopeKind.PARK)
    compliant = None
    if parks is not None and not parks.additive and row.scope.kind == ScopeKind.PARK_TYPE:
        compliant = (sum(1 for c in parks.rows if c.meets), len(parks.rows))
    # Only the tasks the user can open (a park or an enterprise opens none).
    tasks = [task for task in SupervisedTask.objects.visible_to(user) if row.target.code in task.target_codes]
    return render(
        request,
        "targets/detail.html",
        {
            "row": row,
            "progress": progress,
            "definition": describe(row.indicator) if row.indicator else None,
            "units": _units(row.target.units),
            "chart": chart,
            "contributions": [c for c in (district, parks) if c is not None and c.rows],
            "compliant": compliant,
            "tasks": tasks,
            "scope_param": row.scope.key,
        },
    )


# ── 督办 ────────────────────────────────────────────────────────────────────────────────────


TASK_HEADERS = [
    "序号",
    "任务",
    "分组",
    "牵头单位",
    "配合单位数",
    "状态",
    "完成时限",
    "已超期",
    "最新进度（%）",
    "逾期未报（份）",
    "催办（次）",
]


@login_required
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    user = page_user(request, auditors=False)
    filters = selectors.TaskFilters.from_query(request.GET, user)
    say_ignored(request, filters)
    lines = selectors.task_lines(user, filters)
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                line.task.number,
                str(line.task),
                line.task.group_title or "保障措施",
                "、".join(unit.name for unit in line.leads),
                line.co_count,
                line.task.get_status_display(),
                line.task.due_on,
                "是" if line.past_due else "",
                line.latest_percent,
                len(line.overdue),
                line.presses,
            ]
            for line in lines
        )
        overdue_rows = (
            [str(o.task), o.unit.name, o.period_label, o.due.isoformat()] for line in lines for o in line.overdue
        )
        return xlsx_response(
            actor=user,
            filename="任务督办",
            object_type="targets.SupervisedTask",
            sheets=[
                ("任务", TASK_HEADERS, rows),
                ("逾期未报", ["任务", "单位", "报送期", "应报日期"], overdue_rows),
            ],
            detail=request.GET.urlencode(),
        )
    overdue = [o for line in lines for o in line.overdue]
    plan = policy_pack().section(TARGETS)
    return render(
        request,
        "targets/tasks.html",
        {
            "lines": lines,
            "filters": filters,
            "groups": [(g.code, localised(g.title, g.title_en)) for g in plan.task_groups]
            + [(selectors.SAFEGUARD_GROUP, gettext("保障措施"))],
            "task_count": len(plan.tasks),
            "safeguard_count": len(plan.safeguards),
            "statuses": SupervisedTask.Status.choices,
            "units": selectors.units_of_tasks(user) if user.is_city_wide else [],
            "overdue": overdue[:200],
            "overdue_total": len(overdue),
            "acting_unit": services.acting_unit(user),
            "loaded": SupervisedTask.objects.exists(),
        },
    )


def _task(request: HttpRequest, code: str) -> SupervisedTask:
    return get_visible_or_404(SupervisedTask.objects.all(), page_user(request, auditors=False), code=code)


def _period_choices(today: dt.date) -> list[tuple[str, str]]:
    found = quarters(policy_pack().period_start, today)
    return [(q.isoformat(), period_label(quarter_label(q))) for q in reversed(found)]


@login_required
@require_GET
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = page_user(request, auditors=False)
    task = _task(request, code)
    detail_data = selectors.task_detail(user, task)
    unit = services.acting_unit(user)
    can_report = unit is not None and any(a.unit_id == unit.pk for a in detail_data.assignments)
    return render(
        request,
        "targets/task_detail.html",
        {
            "task": task,
            "detail": detail_data,
            "can_report": can_report,
            "acting_unit": unit,
            "is_city_admin": is_city_admin(user),
            "periods": _period_choices(timezone.localdate()),
            "current_period": quarter_start(timezone.localdate()).isoformat(),
        },
    )


def _back(task: SupervisedTask) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("targets:task", args=[task.code]))


def _post(
    request: HttpRequest, code: str, form_class: type[PageForm], act: Callable[[User, SupervisedTask, Any], str]
) -> HttpResponse:
    """A post on the task page, taken as every page takes one (`take_post`): `act` returns the
    message that says the step was done; every refusal is shown on the task page."""
    user = page_user(request, auditors=False)
    task = _task(request, code)
    take_post(request, form_class(request.POST), lambda data: act(user, task, data))
    return _back(task)


@login_required
@require_POST
def task_report(request: HttpRequest, code: str) -> HttpResponse:
    def report(user: User, task: SupervisedTask, data: Any) -> str:
        services.task_report_submit(
            actor=user,
            task=task,
            period=data["period"],
            text=data["text"],
            percent_done=data["percent_done"],
            files=request.FILES.getlist("files"),
        )
        return gettext("已报送%(period)s进展") % {"period": period_label(quarter_label(quarter_start(data["period"])))}

    return _post(request, code, TaskReportForm, report)


@login_required
@require_POST
def task_comment(request: HttpRequest, code: str) -> HttpResponse:
    def comment(user: User, task: SupervisedTask, data: Any) -> str:
        report = None
        if data["report"] is not None:
            report = TaskReport.objects.visible_to(user).filter(task=task, pk=data["report"]).first()
        services.task_comment_add(actor=user, task=task, text=data["text"], report=report)
        return gettext("已添加批示意见")

    return _post(request, code, TaskCommentForm, comment)


@login_required
@require_POST
def task_press(request: HttpRequest, code: str) -> HttpResponse:
    def press(user: User, task: SupervisedTask, data: Any) -> str:
        services.task_press(actor=user, task=task, unit=data["unit"], text=data["text"])
        return gettext("已催办%(unit)s") % {"unit": data["unit"].name}

    return _post(request, code, TaskPressForm, press)


@login_required
@require_POST
def task_status(request: HttpRequest, code: str) -> HttpResponse:
    def change(user: User, task: SupervisedTask, data: Any) -> str:
        if data["action"] == "complete":
            services.task_complete(actor=user, task=task)
            return gettext("任务已办结")
        services.task_reopen(actor=user, task=task)
        return gettext("任务已重新打开")

    return _post(request, code, TaskStatusForm, change)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    user = page_user(request, auditors=False)
    found = ReportAttachment.objects.filter(pk=pk).select_related("report").first()
    if found is None or not TaskReport.objects.visible_to(user).filter(pk=found.report_id).exists():
        raise Http404("附件不存在或不在您的权限范围内")
    return file_download(
        actor=user, obj=found, file=found.file, name=found.original_name, content_type=found.content_type
    )

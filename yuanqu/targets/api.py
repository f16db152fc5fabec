"""目标体系 and 督办 API: every 2027 target with its progress, one target with its series, projection
and contributors; the tasks a user may see, their reports; filing a report, and the city's comments
and presses. Reads through `visible_to`, writes through the services (validated and audited)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Page
from yuanqu.core.contract.published import published_values
from yuanqu.core.contract.schemas import Code, CodePath, InputSchema, PlausibleDate
from yuanqu.core.models import User
from yuanqu.indicators.models import ScopeKind
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.targets import selectors, services
from yuanqu.targets.models import SupervisedTask, TaskReport
from yuanqu.targets.selectors import TargetRow

router = Router(tags=["目标体系与督办"])


class ObservationOut(Schema):
    period_end: dt.date
    label: str
    value: float


class ProjectionOut(Schema):
    at: dt.date
    value: float
    low: float | None
    high: float | None
    method: str
    points: int
    annual_growth: float | None


class ContextOut(Schema):
    indicator: str
    name: str
    unit: str
    latest: float | None
    latest_period: str | None


class TargetOut(Schema):
    code: str
    name: str
    kind: str
    indicator: str
    comparison: str
    value: float
    unit: str
    scope: str
    deadline: dt.date
    units: list[str]
    baseline: float | None
    latest: float | None
    latest_period: str | None
    goal: float | None
    met: bool | None
    progress: float | None
    time_elapsed: float | None
    status: str | None
    status_name: str | None
    realised_growth: float | None
    required_growth: float | None
    projection: ProjectionOut | None
    # Assessed park by park (assess_by): the indicator read for the status, and the parks over the line
    # out of all parks of the type at the latest period; the progress fields above are of that share.
    assess_by: str | None
    parks_meeting: int | None
    parks_total: int | None
    context: list[ContextOut]


class ContributorOut(Schema):
    scope_kind: str
    scope_code: str
    name: str
    baseline: Decimal | None
    latest: Decimal | None
    change: Decimal | None
    share: float | None
    meets: bool | None


class TargetDetailOut(TargetOut):
    series: list[ObservationOut]
    months: list[ObservationOut]
    districts: list[ContributorOut]
    parks: list[ContributorOut]


def _target_out(row: TargetRow) -> dict[str, Any]:
    target, p = row.target, row.progress
    projection = None
    if p is not None and p.projection is not None:
        projection = {
            "at": p.projection.at,
            "value": p.projection.value,
            "low": p.projection.low,
            "high": p.projection.high,
            "method": p.projection.method,
            "points": p.projection.points,
            "annual_growth": p.projection.annual_growth,
        }
    goal = p.goal if p is not None and p.goal == p.goal else None  # NaN: no baseline for a growth goal
    return {
        "code": target.code,
        "name": target.name,
        "kind": target.kind,
        "indicator": target.indicator,
        "comparison": target.comparison,
        "value": target.value,
        "unit": target.unit,
        "scope": target.scope,
        "deadline": target.deadline,
        "units": list(target.units),
        "baseline": p.baseline.value if p and p.baseline else None,
        "latest": p.latest.value if p and p.latest else None,
        "latest_period": p.latest.label if p and p.latest else None,
        "goal": goal,
        "met": p.met if p else None,
        "progress": p.progress if p else None,
        "time_elapsed": p.time_elapsed if p else None,
        "status": p.status.code if p and p.status else None,
        "status_name": p.status.name if p and p.status else None,
        "realised_growth": p.realised_growth if p else None,
        "required_growth": p.required_growth if p else None,
        "projection": projection,
        "assess_by": target.assess_by,
        "parks_meeting": row.parks_meeting.meeting if row.parks_meeting else None,
        "parks_total": row.parks_meeting.parks if row.parks_meeting else None,
        "context": [
            {
                "indicator": item.indicator.code,
                "name": item.indicator.name,
                "unit": item.indicator.unit,
                "latest": item.latest.value if item.latest else None,
                "latest_period": item.latest.label if item.latest else None,
            }
            for item in row.context
        ],
    }


def _observations(items: list[Any]) -> list[dict[str, Any]]:
    return [{"period_end": item.end, "label": item.label, "value": item.value} for item in items]


def _contributors(user: User, row: TargetRow, kind: str) -> list[dict[str, Any]]:
    found = selectors.contributions(user, row, kind)
    if found is None:
        return []
    return [
        {
            "scope_kind": c.scope.kind,
            "scope_code": c.scope.code,
            "name": c.name,
            "baseline": c.baseline,
            "latest": c.latest,
            "change": c.change,
            "share": c.share,
            "meets": c.meets,
        }
        for c in found.rows
    ]


# Task routes come first: "/tasks" must not be taken for a target code.


class TaskAssignmentOut(Schema):
    unit: str
    unit_name: str
    role: str


class TaskOut(Schema):
    code: str
    kind: str
    number: int
    group: str
    title: str
    status: str
    due_on: dt.date | None = Field(None, description="完成时限（联席会议议定事项；规划任务为空）")
    past_due: bool = Field(False, description="已超过完成时限且未完成")
    lead_units: list[str]
    co_unit_count: int
    latest_percent: int | None
    overdue_reports: int
    presses: int
    targets: list[str]


class TaskAttachmentOut(Schema):
    id: int
    name: str
    size: int


class ReportOut(Schema):
    id: int
    unit: str
    unit_name: str
    period: dt.date
    period_label: str
    text: str
    percent_done: int
    submitted_at: dt.datetime
    attachments: list[TaskAttachmentOut]


class OverdueOut(Schema):
    unit: str
    period: dt.date
    due: dt.date


class TaskDetailOut(TaskOut):
    summary: str
    units_text: str
    assignments: list[TaskAssignmentOut]
    reports: list[ReportOut]
    overdue: list[OverdueOut]


def _task_out(line: selectors.TaskLine) -> dict[str, Any]:
    return published_values(
        line.task,
        TaskOut,
        group=line.task.group_code,
        past_due=line.past_due,
        lead_units=[unit.code for unit in line.leads],
        co_unit_count=line.co_count,
        latest_percent=line.latest_percent,
        overdue_reports=len(line.overdue),
        presses=line.presses,
        targets=list(line.task.target_codes),
    )


def _report_out(report: TaskReport) -> dict[str, Any]:
    attachments = [{"id": a.pk, "name": a.original_name, "size": a.size} for a in report.attachments.all()]
    return published_values(
        report, ReportOut, unit=report.unit.code, unit_name=report.unit.name, attachments=attachments
    )


@router.get("/tasks", response=list[TaskOut], summary="督办任务列表（按权限范围）")
@paginate(Page, page_size=100)
def list_tasks(request: HttpRequest, sort: Literal["", "due"] = "") -> Any:
    """`sort=due`: by deadline (联席会议 decisions), the earliest first, tasks without one last."""
    filters = selectors.TaskFilters(sort=sort)
    return [_task_out(line) for line in selectors.task_lines(api_user(request, auditors=False), filters)]


@router.get("/tasks/{code}", response=TaskDetailOut, summary="督办任务详情与进展报送")
def get_task(request: HttpRequest, code: CodePath) -> Any:
    user = api_user(request, auditors=False)
    task = get_visible_or_404(SupervisedTask.objects.all(), user, code=code)
    detail = selectors.task_detail(user, task)
    data = _task_out(detail.line)
    data.update(
        {
            "summary": task.summary,
            "units_text": task.units_text,
            "assignments": [
                {"unit": a.unit.code, "unit_name": a.unit.name, "role": a.role} for a in detail.assignments
            ],
            "reports": [_report_out(report) for report in detail.reports],
            "overdue": [{"unit": o.unit.code, "period": o.period, "due": o.due} for o in detail.line.overdue],
        }
    )
    return data


class ReportIn(InputSchema):
    period: PlausibleDate
    text: Annotated[str, Field(max_length=5000)]
    percent_done: Annotated[int, Field(ge=0, le=100)]


@router.post("/tasks/{code}/reports", response={201: ReportOut}, summary="报送任务进展（责任单位）")
def file_report(request: HttpRequest, code: CodePath, payload: ReportIn) -> Any:
    """A responsible unit files its quarterly progress (attachments: through the page)."""
    user = api_user(request, auditors=False)
    task = get_visible_or_404(SupervisedTask.objects.all(), user, code=code)
    report = services.task_report_submit(
        actor=user, task=task, period=payload.period, text=payload.text, percent_done=payload.percent_done
    )
    return Status(201, _report_out(report))


class TaskCommentIn(InputSchema):
    kind: Literal["comment", "press"]
    text: Annotated[str, Field(max_length=2000)]
    unit: Code | None = None


class TaskCommentOut(Schema):
    id: int
    kind: str
    unit: str | None
    text: str
    created_at: dt.datetime


@router.post("/tasks/{code}/comments", response={201: TaskCommentOut}, summary="批示或催办（市级管理员）")
def add_comment(request: HttpRequest, code: CodePath, payload: TaskCommentIn) -> Any:
    """The city comments on a task, or presses (催办) one of its units."""
    user = api_user(request, auditors=False)
    task = get_visible_or_404(SupervisedTask.objects.all(), user, code=code)
    if payload.kind == "press":
        unit = ResponsibleUnit.objects.filter(code=payload.unit or "").first()
        if unit is None:
            raise ValidationError({"unit": services.ERR_PRESS_NO_UNIT})
        comment = services.task_press(actor=user, task=task, unit=unit, text=payload.text)
    else:
        comment = services.task_comment_add(actor=user, task=task, text=payload.text)
    return Status(
        201,
        {
            "id": comment.pk,
            "kind": comment.kind,
            "unit": comment.unit.code if comment.unit else None,
            "text": comment.text,
            "created_at": comment.created_at,
        },
    )


@router.get("/", response=list[TargetOut], summary="2027 年目标及进展")
@paginate(Page, page_size=100)
def list_targets(request: HttpRequest) -> Any:
    return [_target_out(row) for row in selectors.target_rows(api_user(request, auditors=False))]


@router.get("/{code}", response=TargetDetailOut, summary="目标详情：序列、预测与贡献")
def get_target(request: HttpRequest, code: CodePath) -> Any:
    user = api_user(request, auditors=False)
    try:
        row = selectors.target_row(user, code)
    except KeyError as exc:
        raise Http404("目标不存在") from exc
    data = _target_out(row)
    data.update(
        {
            "series": _observations(row.years),
            "months": _observations(row.months),
            "districts": _contributors(user, row, ScopeKind.DISTRICT),
            "parks": _contributors(user, row, ScopeKind.PARK),
        }
    )
    return data

"""Evaluation API (/api/v1/evaluation/): runs (start, list, read), results per park, a park's
diagnosis, the 产业名园 selection and its confirmation, two runs compared, and 亩均 grades.

Reads go through `selectors` (always `visible_to`); writes through the services, which check that
the actor is a city admin (403 otherwise; the API's handlers answer it, and 409 for a list already
confirmed, in the one error shape). A run is started as a background job (202 with the job's id and
page); a run that cannot evaluate (no indicator values for the year) ends as a failed job with the
Chinese reason and a link to the failed run it recorded."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import published_values
from yuanqu.core.contract.schemas import (
    MAX_INT,
    CodePath,
    IdParam,
    IdPath,
    InputSchema,
    OptionalCodeParam,
    OptionalYearParam,
    Year,
    YearParam,
)
from yuanqu.core.pageauth import role_reader
from yuanqu.core.roles import Role
from yuanqu.evaluation import selectors, services
from yuanqu.evaluation.diagnosis import park_diagnosis
from yuanqu.evaluation.jobs import grades_job_start, run_job_start
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun, ParkResult
from yuanqu.jobs.api import JobStartedOut, job_started

router = Router(tags=["评价体系"])

RUN_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
GRADE_READERS = RUN_READERS | {Role.ENTERPRISE}
NO_READ = "无权查看评价结果"


_reader = role_reader(RUN_READERS, NO_READ, api=True)
_grade_reader = role_reader(GRADE_READERS, NO_READ, api=True)


# ── schemas ─────────────────────────────────────────────────────────────────────────────────


# Method names are checked against the engine's lists by the run's own validation (Chinese
# messages naming the choices); the schema bounds their size.
# The normalisations a Monte Carlo run may swap in (runs.MONTE_CARLO_NORMALISATIONS; a test keeps
# the two equal): goalposts and distance to target need targets the index systems do not all give.
MonteCarloNormalisation = Literal["minmax", "zscore", "percentile"]
MethodNames = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=10)]


class RunIn(InputSchema):
    year: Annotated[int, Field(ge=2000, le=2100)]
    # Bounded to what is storable; the run's own validation names the rule (1 到 20000 次, …).
    runs: Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)] | None = None
    seed: Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)] | None = None
    weight_spread: float | None = None
    normalisations: Annotated[list[MonteCarloNormalisation], Field(max_length=10)] | None = None
    aggregations: MethodNames | None = None
    imputations: MethodNames | None = None
    alternative_weights: MethodNames | None = None
    min_availability: float | None = None


class RunOut(Schema):
    id: int
    year: int
    status: str
    message: str
    pack_hash: str
    pack_version: str
    seed: int
    params: dict[str, Any]
    selection_status: str
    created_by: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    confirmed_by: str | None
    confirmed_at: dt.datetime | None
    summary: dict[str, Any]


class RunDetailOut(RunOut):
    sensitivity: dict[str, Any]
    index_systems: dict[str, Any]
    selection_rules: dict[str, Any]


class ResultOut(Schema):
    park: str
    park_name: str
    park_type: str
    district: str
    included: bool
    availability: float
    imputed_count: int
    index_score: float | None
    bonus: float
    penalty: float
    score: float | None
    dimension_scores: dict[str, Any]
    rank: int | None
    median_rank: int | None
    rank_p05: int | None
    rank_p95: int | None
    topsis_rank: int | None
    p_selected: float | None
    veto: bool
    entry_ok: bool
    must_improve_ok: bool | None
    eligible: bool
    ineligible_reasons: list[str]
    selected: bool
    selection_order: int | None
    unstable: bool
    award_wan_yuan: int | None
    flags: list[str]
    checks: dict[str, Any]


class InputOut(Schema):
    indicator: str
    year: int
    value: float | None
    imputed: bool
    used_value: float | None
    normalised: float | None


class DiagnosisOut(Schema):
    run: int
    park: str
    park_name: str
    park_type: str
    system: str
    type_size: int
    score: float | None
    index_score: float | None
    rank: int | None
    reproduced: bool
    recomputed_score: float | None
    dimensions: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    strengths: list[str]
    weaknesses: list[str]
    improvements: list[dict[str, Any]]
    last_year: dict[str, Any] | None
    notes: list[str]
    inputs: list[InputOut]


class ComparisonOut(Schema):
    park: str
    park_name: str
    park_type: str
    rank_a: int | None
    rank_b: int | None
    rank_change: int | None
    score_a: float | None
    score_b: float | None
    score_change: float | None
    selected_a: bool
    selected_b: bool


class GradeIn(InputSchema):
    year: Year


class GradeOut(Schema):
    enterprise: str
    enterprise_name: str
    park: str | None
    year: int
    grade: str
    score: float | None
    rank: int | None
    rated_count: int
    reason: str
    detail: dict[str, Any]


# ── serialisers ───────────────────────────────────────────────────────────────────────────


def _run_out(run: EvaluationRun, schema: type[RunOut] = RunOut) -> dict[str, Any]:
    return published_values(
        run,
        schema,
        created_by=run.created_by.username if run.created_by else None,
        confirmed_by=run.confirmed_by.username if run.confirmed_by else None,
    )


def _result_out(row: ParkResult) -> dict[str, Any]:
    return published_values(row, ResultOut, park=row.park.code, park_name=row.park.name, district=row.district.name)


def _grade_out(grade: EnterpriseGrade) -> dict[str, Any]:
    firm, park = grade.enterprise, grade.park.code if grade.park else None
    return published_values(grade, GradeOut, enterprise=firm.uscc, enterprise_name=firm.name, park=park)


# ── runs ────────────────────────────────────────────────────────────────────────────────────


@router.get("/runs", response=list[RunOut], summary="评价运行列表")
@paginate(Page, page_size=50)
def list_runs(request: HttpRequest, year: OptionalYearParam = None) -> Any:
    user = _reader(request)
    runs = selectors.runs(user)
    if year is not None:
        runs = runs.filter(year=year)
    return Mapped(runs, _run_out)


@router.post("/runs", response={202: JobStartedOut}, summary="发起评价（市级管理员，后台任务）")
def start_run(request: HttpRequest, payload: RunIn) -> Status[dict[str, Any]]:
    """The run is computed by a background job: the answer (202) carries the job's id, its page and
    its API address (`GET /api/v1/jobs/{id}`: progress and, once done, the run's id in `result.run`).
    Year and parameters are checked first (422)."""
    user = api_user(request)
    params = {key: value for key, value in payload.dict().items() if key != "year" and value is not None}
    return job_started(run_job_start(actor=user, year=payload.year, params=params))


@router.get("/runs/compare", response=list[ComparisonOut], summary="比较两次评价（名次变化）")
@paginate(Page, page_size=200)
def compare_runs(request: HttpRequest, a: IdParam, b: IdParam) -> Any:
    user = _reader(request)
    rows = selectors.compare(user, selectors.run(user, a), selectors.run(user, b))
    return [
        {
            "park": row.park_code,
            "park_name": row.park_name,
            "park_type": row.park_type,
            "rank_a": row.rank_a,
            "rank_b": row.rank_b,
            "rank_change": row.rank_change,
            "score_a": row.score_a,
            "score_b": row.score_b,
            "score_change": row.score_change,
            "selected_a": row.selected_a,
            "selected_b": row.selected_b,
        }
        for row in rows
    ]


@router.get("/runs/{run_id}", response=RunDetailOut, summary="评价运行详情")
def get_run(request: HttpRequest, run_id: IdPath) -> dict[str, Any]:
    user = _reader(request)
    run = selectors.run(user, run_id)
    return _run_out(run, RunDetailOut)


@router.get("/runs/{run_id}/results", response=list[ResultOut], summary="各园区评价结果（按权限范围）")
@paginate(Page, page_size=200)
def run_results(request: HttpRequest, run_id: IdPath, park_type: OptionalCodeParam = None) -> Any:
    user = _reader(request)
    rows = selectors.results(user, selectors.run(user, run_id))
    if park_type:
        rows = rows.filter(park_type=park_type)
    return Mapped(rows, _result_out)


@router.get("/runs/{run_id}/selection", response=list[ResultOut], summary="产业名园拟入选名单")
@paginate(Page, page_size=200)
def run_selection(request: HttpRequest, run_id: IdPath) -> Any:
    user = _reader(request)
    rows = selectors.results(user, selectors.run(user, run_id)).filter(selected=True)
    return Mapped(rows.order_by("park_type", "selection_order"), _result_out)


@router.post("/runs/{run_id}/selection/confirm", response=RunOut, summary="确认产业名园名单（市级管理员）")
def confirm_selection(request: HttpRequest, run_id: IdPath) -> dict[str, Any]:
    user = _reader(request)
    run = selectors.run(user, run_id)
    return _run_out(services.selection_confirm(actor=user, run=run))


@router.get("/runs/{run_id}/parks/{park}/diagnosis", response=DiagnosisOut, summary="园区评估诊断")
def diagnosis(request: HttpRequest, run_id: IdPath, park: CodePath) -> dict[str, Any]:
    user = _reader(request)
    run = selectors.run(user, run_id)
    result = selectors.result(user, run, park)
    found = park_diagnosis(run, result)
    inputs = result.run.inputs.filter(park=result.park).order_by("indicator", "-year")
    return {
        "run": run.pk,
        "park": result.park.code,
        "park_name": result.park.name,
        "park_type": result.park_type,
        "system": found.system_name,
        "type_size": found.type_size,
        "score": result.score,
        "index_score": result.index_score,
        "rank": result.rank,
        "reproduced": found.reproduced,
        "recomputed_score": found.recomputed_score,
        "dimensions": [asdict(row) for row in found.dimensions],
        "indicators": [asdict(row) for row in found.indicators],
        "strengths": found.strengths,
        "weaknesses": found.weaknesses,
        "improvements": [asdict(item) for item in found.improvements],
        "last_year": asdict(found.last_year) if found.last_year else None,
        "notes": found.notes,
        "inputs": [
            {
                "indicator": row.indicator,
                "year": row.year,
                "value": None if row.value is None else float(row.value),
                "imputed": row.imputed,
                "used_value": row.used_value,
                "normalised": row.normalised,
            }
            for row in inputs
        ],
    }


# ── 亩均 grades ────────────────────────────────────────────────────────────────────────────


@router.get("/grades", response=list[GradeOut], summary="亩均效益等级（按权限范围；企业只见本企业）")
@paginate(Page, page_size=100)
def list_grades(request: HttpRequest, year: YearParam, grade: OptionalCodeParam = None) -> Any:
    user = _grade_reader(request)
    rows = selectors.grades(user, year)
    if grade:
        rows = rows.filter(grade=grade)
    return Mapped(rows, _grade_out)


@router.post("/grades", response={202: JobStartedOut}, summary="评定亩均效益等级（市级管理员，后台任务）")
def compute_grades(request: HttpRequest, payload: GradeIn) -> Status[dict[str, Any]]:
    """The grading is done by a background job: the answer (202) carries the job's id, its page and
    its API address (`GET /api/v1/jobs/{id}`: progress and, once done, the counts per grade in
    `result`). A user who may not grade is refused first (403), as is a year out of range (422)."""
    user = api_user(request)
    return job_started(grades_job_start(actor=user, year=payload.year))

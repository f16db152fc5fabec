"""评价体系 writes: run an evaluation of a year, confirm its 产业名园 list, delete an unconfirmed run,
and grade enterprises' 亩均效益. Each is keyword-only, atomic and audited.

A run reads every park's indicator values of the year and the year before (the indicator engine's
`IndicatorValue`, park scope, year frequency), the parks' annual statistics (veto, bonus) and their
registry attributes; it stores the exact inputs and every result (`runs.evaluate_type` per park
type). Runs are city-admin actions and read all rows; users read results through `selectors`, which
scope them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, is_city_admin
from yuanqu.core.readcache import data_version_bump
from yuanqu.evaluation import mujun
from yuanqu.evaluation.engine import FrameworkError
from yuanqu.evaluation.engine.impute import ImputationError
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun, ParkResult, RunInput
from yuanqu.evaluation.pack import PARK_STAT_FIELDS, EvaluationPack, installed_pack
from yuanqu.evaluation.runs import (
    ParkFacts,
    ParkOutcome,
    RunParams,
    RunParamsError,
    TypeOutcome,
    evaluate_type,
    type_coherence,
)
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.registry.models import Enterprise, LabelKind, Park
from yuanqu.stats.derived import derived_measures
from yuanqu.stats.models import AnnualStat, ParkAnnualStat

Progress = Callable[[str, int, int], None]

# Messages in Chinese, translated where they are raised (gettext); the two a run stores as its
# message stay Chinese in the database and are translated when shown (evaluation.labels.stored).
NOT_CITY_ADMIN = gettext_noop("只有市级管理员可以执行此操作")
NO_INDICATOR_VALUES = gettext_noop(
    "{year}年没有园区年度指标值（指标表为空或尚未计算），无法评价。"
    "请先导入园区和企业数据，并运行“yuanqu compute”计算指标后再评价。"
)
NO_PARKS = gettext_noop("没有可评价的园区：{types}均无登记园区。")
BAD_YEAR = gettext_noop("评价年度应在 2000 到 2100 之间，实际为 {year}")
RUN_NOT_DONE = gettext_noop("该评价未完成，不能确认名单")
ALREADY_CONFIRMED = gettext_noop("该评价的产业名园名单已确认，确认后的名单不能更改")
YEAR_ALREADY_CONFIRMED = gettext_noop("{year}年度已有确认的产业名园名单，不能再确认另一份")
CONFIRMED_NOT_DELETABLE = gettext_noop("已确认名单的评价不能删除")
NO_FIRMS = gettext_noop("{year}年没有持有规上工业企业称号的企业，无法评定亩均效益等级")


def _require_city_admin(actor: User | None) -> None:
    """None is the system (the CLI); otherwise a city admin, a sysadmin or a superuser."""
    if actor is None:
        return
    if not is_city_admin(actor):
        raise WriteDenied(gettext(NOT_CITY_ADMIN), code="city_only")


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _json_safe(value: Any) -> Any:
    """NaN and infinities are not JSON (PostgreSQL refuses them): stored as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


# ── evaluation runs ────────────────────────────────────────────────────────────────────────


@dataclass
class _Inputs:
    parks: list[Park]
    values: dict[tuple[str, str, int], Decimal | None]
    stats: dict[int, dict[str, float | None]]


def _read_inputs(pack: EvaluationPack, year: int) -> _Inputs:
    # Sorted in Python: the unit order must not depend on the database's collation.
    parks = sorted(
        Park.objects.filter(park_type__in=list(pack.index_systems)).select_related("district"),
        key=lambda park: park.code,
    )
    codes = sorted({code for system in pack.index_systems.values() for code in system.codes_read()})
    values: dict[tuple[str, str, int], Decimal | None] = {}
    # The year and the one before; as many more as a 必达 indicator averages over.
    back = max(
        (years for system in pack.index_systems.values() for years in system.must_improve_years.values()), default=1
    )
    rows = IndicatorValue.objects.filter(
        scope_kind=ScopeKind.PARK,
        frequency=Frequency.YEAR,
        period__in=[year_end(year - offset) for offset in range(back + 1)],
        indicator__in=codes,
        scope_code__in=[park.code for park in parks],
    ).values_list("scope_code", "indicator", "period", "value")
    for park_code, indicator, period, value in rows:
        values[(park_code, indicator, period.year)] = value
    stats: dict[int, dict[str, float | None]] = {}
    names = list(PARK_STAT_FIELDS)
    for park_id, *measures in ParkAnnualStat.objects.filter(year=year, park__in=parks).values_list("park_id", *names):
        stats[park_id] = {name: _float(value) for name, value in zip(names, measures, strict=True)}
    return _Inputs(parks=parks, values=values, stats=stats)


def _facts(park: Park, inputs: _Inputs, codes: tuple[str, ...], year: int) -> ParkFacts:
    return ParkFacts(
        code=park.code,
        name=park.name,
        park_type=park.park_type,
        recognised=park.status == Park.Status.RECOGNISED,
        fields={
            "planned_area_km2": float(park.planned_area_km2),
            "green_level": park.green_level,
            "status": park.status,
        },
        stats=inputs.stats.get(park.pk),
        values={code: _float(inputs.values.get((park.code, code, year))) for code in codes},
        previous={code: _float(inputs.values.get((park.code, code, year - 1))) for code in codes},
        earlier={
            code: tuple(_float(inputs.values.get((park.code, code, year - offset))) for offset in range(1, 6))
            for code in codes
        },
    )


def index_coherence(*, year: int) -> dict[str, dict[str, Any] | None]:
    """Each index system's statistical coherence on the year's park values (read only; nothing is
    stored or audited: the values are the indicator pages' own), with the pack's default parameters,
    for the index-system page before a run is started or confirmed."""
    pack = installed_pack()
    params = RunParams.resolve(None, pack.selection.uncertainty, seed=year)
    inputs = _read_inputs(pack, year)
    found: dict[str, dict[str, Any] | None] = {}
    for park_type, system in pack.index_systems.items():
        parks = [park for park in inputs.parks if park.park_type == park_type]
        facts = [_facts(park, inputs, system.codes_read(), year) for park in parks]
        found[park_type] = _json_safe(type_coherence(system, facts, params))
    return found


# The steps a run reports (its job's progress bar and the CLI's): reading, the Monte Carlo draws of
# every park type (done/total over all types), storing.
STEP_READ, STEP_DRAWS, STEP_STORE = "读取指标值", "蒙特卡洛模拟", "保存结果"


def inputs_fingerprint(pack: EvaluationPack, year: int, run_params: RunParams, inputs: _Inputs) -> str:
    """What a run's result depends on: the pack, the year, the parameters with the seed, each park's
    registry attributes, statistics and indicator values. Two runs with the same fingerprint give
    the same result."""
    parks = [
        (p.code, p.park_type, p.status, str(p.planned_area_km2), p.green_level, p.district_id) for p in inputs.parks
    ]
    values = sorted((*key, None if value is None else str(value)) for key, value in inputs.values.items())
    stats = sorted((park_id, sorted(measures.items())) for park_id, measures in inputs.stats.items())
    payload = json.dumps(
        [pack.content_hash, year, run_params.to_json(), parks, values, stats], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def evaluation_run_existing(*, year: int, fingerprint: str) -> EvaluationRun | None:
    """The finished run of `year` made from exactly these inputs, if one is kept."""
    return (
        EvaluationRun.objects.filter(year=year, status=EvaluationRun.Status.DONE, summary__inputs_hash=fingerprint)
        .order_by("-pk")
        .first()
    )


def evaluation_run(
    *,
    actor: User | None,
    year: int,
    params: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    reuse: bool = False,
) -> EvaluationRun:
    """Evaluate every park of the three types for `year` and propose the 产业名园 list.

    Returns the stored run. Without indicator values for the year the run is stored as failed, with
    a Chinese message saying so (nothing else is written). Invalid parameters raise ValidationError.
    With `reuse`, a finished run of the same inputs, parameters and seed is returned as it is and
    nothing is computed or written (a background job retried after it succeeded).

    The computation runs outside a transaction, so that a job's progress is seen as it goes; what
    the run writes is one transaction.
    """
    _require_city_admin(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError(gettext(BAD_YEAR).format(year=year))
    pack = installed_pack()
    try:
        run_params = RunParams.resolve(params, pack.selection.uncertainty, seed=year)
    except RunParamsError as exc:
        raise ValidationError(str(exc)) from exc
    report = progress or (lambda step, done, total: None)
    report(STEP_READ, 0, 1)
    inputs = _read_inputs(pack, year)
    fingerprint = inputs_fingerprint(pack, year, run_params, inputs)
    if reuse and (existing := evaluation_run_existing(year=year, fingerprint=fingerprint)) is not None:
        return existing
    run = EvaluationRun(
        year=year,
        status=EvaluationRun.Status.DONE,
        pack_hash=pack.content_hash,
        pack_version=pack.version,
        seed=run_params.seed,
        params=run_params.to_json(),
        index_systems={code: system.to_json() for code, system in pack.index_systems.items()},
        selection_rules=_json_safe(asdict(pack.selection)),
        created_by=actor,
    )
    found = sum(1 for key in inputs.values if key[2] == year)
    failure = ""
    if not inputs.parks:
        failure = NO_PARKS.format(types="、".join(pack.park_type_names.get(code, code) for code in pack.index_systems))
    elif not found:
        failure = NO_INDICATOR_VALUES.format(year=year)
    if failure:
        run.status = EvaluationRun.Status.FAILED
        run.message = failure
        run.finished_at = timezone.now()
        run.full_clean()
        with transaction.atomic():
            run.save()
            audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=run, after=_run_audit(run), detail=failure)
        return run

    outcomes: dict[str, TypeOutcome] = {}
    systems = list(pack.index_systems.items())
    total = len(systems) * run_params.runs
    for position, (park_type, system) in enumerate(systems):
        offset = position * run_params.runs
        report(STEP_DRAWS, offset, total)
        parks = [park for park in inputs.parks if park.park_type == park_type]
        facts = [_facts(park, inputs, system.codes_read(), year) for park in parks]

        def draws(done: int, _runs: int, offset: int = offset) -> None:
            report(STEP_DRAWS, offset + done, total)

        try:
            outcomes[park_type] = evaluate_type(system, facts, run_params, pack.selection, draws=draws)
        except (FrameworkError, ImputationError) as exc:  # the engine cannot evaluate: say why, store nothing
            raise ValidationError(str(exc)) from exc
    report(STEP_STORE, 0, 1)

    run.sensitivity = _json_safe({code: outcome.sensitivity for code, outcome in outcomes.items()})
    run.summary = _json_safe(_summary(pack, outcomes, inputs, year, found))
    run.summary["inputs_hash"] = fingerprint
    warnings = [f"{pack.park_type_names.get(c, c)}：{w}" for c, o in outcomes.items() for w in o.warnings]
    run.message = "；".join(warnings)
    run.finished_at = timezone.now()
    run.full_clean()
    with transaction.atomic():
        run.save()
        _store_results(run, pack, outcomes, inputs, year)
        data_version_bump()
        audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=run, after=_run_audit(run))
    report(STEP_STORE, 1, 1)
    return run


def _summary(
    pack: EvaluationPack, outcomes: Mapping[str, TypeOutcome], inputs: _Inputs, year: int, found: int
) -> dict[str, Any]:
    types = {}
    for code, outcome in outcomes.items():
        types[code] = {
            "name": pack.park_type_names.get(code, code),
            "parks": len(outcome.parks),
            "included": sum(p.included for p in outcome.parks),
            "eligible": sum(p.eligible for p in outcome.parks),
            "quota": outcome.quota,
            "selected": sum(p.selected for p in outcome.parks),
            "unstable": sum(p.unstable for p in outcome.parks),
            "award_wan_yuan": sum(p.award_wan_yuan or 0 for p in outcome.parks),
            "warnings": outcome.warnings,
            "ties": outcome.ties,
            "sobol": outcome.sobol,
            "drop_one": outcome.drop_one,
        }
    return {
        "year": year,
        "values_found": found,
        "parks": len(inputs.parks),
        "total_quota": pack.selection.total,
        "selected": sum(t["selected"] for t in types.values()),
        "award_wan_yuan": sum(t["award_wan_yuan"] for t in types.values()),
        "types": types,
    }


# The park's outcome holds these apart from the stored result's columns: the park and its type are
# set from the run's own rows, the values used become RunInput rows.
_NOT_RESULT_COLUMNS = frozenset({"code", "park_type", "used"})


def _result_columns(item: ParkOutcome) -> dict[str, Any]:
    """The stored result's columns, which the park's outcome holds under the same names (its mappings
    and lists made JSON-safe)."""
    columns = {}
    for name in (f.name for f in fields(item) if f.name not in _NOT_RESULT_COLUMNS):
        value = getattr(item, name)
        columns[name] = _json_safe(value) if isinstance(value, dict | list) else value
    return columns


def _store_results(
    run: EvaluationRun, pack: EvaluationPack, outcomes: Mapping[str, TypeOutcome], inputs: _Inputs, year: int
) -> None:
    parks = {park.code: park for park in inputs.parks}
    results: list[ParkResult] = []
    rows: list[RunInput] = []
    for park_type, outcome in outcomes.items():
        codes = pack.index_systems[park_type].codes_read()
        for item in outcome.parks:
            park = parks[item.code]
            results.append(
                ParkResult(
                    run=run,
                    park=park,
                    park_type=park_type,
                    district_id=park.district_id,
                    **_result_columns(item),
                )
            )
            for code in codes:
                for period in (year, year - 1):
                    used, imputed, normalised = (
                        item.used.get(code, (None, False, None))
                        if period == year
                        else (
                            None,
                            False,
                            None,
                        )
                    )
                    rows.append(
                        RunInput(
                            run=run,
                            park=park,
                            park_type=park_type,
                            indicator=code,
                            year=period,
                            value=inputs.values.get((park.code, code, period)),
                            imputed=imputed,
                            used_value=used,
                            normalised=normalised,
                        )
                    )
    ParkResult.objects.bulk_create(results, batch_size=500)
    RunInput.objects.bulk_create(rows, batch_size=2000)


def _run_audit(run: EvaluationRun) -> dict[str, Any]:
    return {
        "year": run.year,
        "status": run.status,
        "seed": run.seed,
        "pack_hash": run.pack_hash,
        "params": run.params,
        "selected": run.summary.get("selected") if run.summary else None,
    }


def _selection_audit(run: EvaluationRun) -> list[dict[str, Any]]:
    return [
        {"park": code, "type": park_type, "score": score, "award_wan_yuan": amount}
        for code, park_type, score, amount in run.results.filter(selected=True)
        .order_by("park_type", "selection_order")
        .values_list("park__code", "park_type", "score", "award_wan_yuan")
    ]


@transaction.atomic
def selection_confirm(*, actor: User, run: EvaluationRun) -> EvaluationRun:
    """Confirm the run's proposed 产业名园 list; from then on the run cannot change."""
    _require_city_admin(actor)
    if run.status != EvaluationRun.Status.DONE:
        raise Conflict(gettext(RUN_NOT_DONE))
    now = timezone.now()
    try:
        with transaction.atomic():
            changed = EvaluationRun.objects.filter(
                pk=run.pk, status=EvaluationRun.Status.DONE, selection_status=EvaluationRun.SelectionStatus.PROPOSED
            ).update(selection_status=EvaluationRun.SelectionStatus.CONFIRMED, confirmed_by=actor, confirmed_at=now)
    except IntegrityError as exc:
        raise Conflict(gettext(YEAR_ALREADY_CONFIRMED).format(year=run.year)) from exc
    if changed != 1:
        raise Conflict(gettext(ALREADY_CONFIRMED))
    run.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=run,
        before={"selection_status": EvaluationRun.SelectionStatus.PROPOSED},
        after={"selection_status": run.selection_status, "selected": _selection_audit(run)},
        detail="确认产业名园名单",
    )
    return run


@transaction.atomic
def evaluation_run_delete(*, actor: User, run: EvaluationRun) -> None:
    """Delete a run that has no confirmed list (with its inputs and results)."""
    _require_city_admin(actor)
    locked = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if locked.is_confirmed:
        raise ValidationError(gettext(CONFIRMED_NOT_DELETABLE))
    audit_record(actor=actor, action=AuditLog.Action.DELETE, obj=locked, before=_run_audit(locked))
    locked.delete()


# ── 亩均效益 grading ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class GradingSummary:
    year: int
    total: int
    counts: dict[str, int]
    benchmarks: dict[str, float]


GRADE_READ, GRADE_RATE, GRADE_STORE = "读取企业数据", "评定等级", "保存结果"


def enterprise_grades_compute(*, actor: User | None, year: int, progress: Progress | None = None) -> GradingSummary:
    """Grade every enterprise holding the scope label (规上) at the end of `year`; replaces that year's
    grades. Reading and grading run outside a transaction, so that a job's progress is seen as it
    goes; replacing the year's grades is one transaction."""
    _require_city_admin(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError(gettext(BAD_YEAR).format(year=year))
    report = progress or (lambda step, done, total: None)
    report(GRADE_READ, 0, 1)
    pack = installed_pack()
    rules = pack.mujun
    firms = list(
        Enterprise.objects.with_label(rules.scope_label or LabelKind.ABOVE_SCALE, on=year_end(year))
        .order_by("pk")
        .only("pk", "industry_id", "founded_on", "park_id", "district_id")
    )
    if not firms:
        raise ValidationError(gettext(NO_FIRMS).format(year=year))
    derived = derived_measures()
    wanted = sorted({m for item in rules.indicators for m in (item.numerator, item.denominator)})
    measures = [name for name in wanted if name not in derived]
    stats = {
        row["enterprise_id"]: {name: _float(row[name]) for name in measures}
        for row in AnnualStat.objects.filter(year=year, enterprise__in=[f.pk for f in firms]).values(
            "enterprise_id", *measures
        )
    }
    # Measures kept above the statistics (CO₂ from the carbon accounts): a firm without one lacks it.
    for name in wanted:
        if name in derived:
            kept = derived[name].read(year, [f.pk for f in firms])
            for firm_id, row in stats.items():
                row[name] = _float(kept.get(firm_id))
    facts = [
        mujun.FirmFacts(
            enterprise_id=firm.pk, industry=firm.industry_id, founded_on=firm.founded_on, measures=stats.get(firm.pk)
        )
        for firm in firms
    ]
    report(GRADE_RATE, 0, len(facts))
    grades, marks = mujun.grade_year(rules, year, facts)
    report(GRADE_STORE, 0, len(grades))
    with transaction.atomic():
        summary = _grades_store(actor=actor, year=year, pack=pack, firms=firms, grades=grades, marks=marks)
    report(GRADE_STORE, len(grades), len(grades))
    return summary


def _grades_store(
    *,
    actor: User | None,
    year: int,
    pack: EvaluationPack,
    firms: list[Enterprise],
    grades: list[mujun.FirmGrade],
    marks: dict[str, float],
) -> GradingSummary:
    now = timezone.now()
    EnterpriseGrade.objects.filter(year=year).delete()
    by_id = {firm.pk: firm for firm in firms}
    EnterpriseGrade.objects.bulk_create(
        [
            EnterpriseGrade(
                enterprise_id=grade.enterprise_id,
                year=year,
                park_id=by_id[grade.enterprise_id].park_id,
                district_id=by_id[grade.enterprise_id].district_id,
                grade=grade.grade,
                score=grade.score,
                rank=grade.rank,
                rated_count=int(grade.detail.get("rated_count", 0)),
                reason=grade.reason[:200],
                detail=_json_safe(grade.detail),
                pack_hash=pack.content_hash,
                computed_at=now,
            )
            for grade in grades
        ],
        batch_size=1000,
    )
    counts: dict[str, int] = {}
    for grade in grades:
        counts[grade.grade] = counts.get(grade.grade, 0) + 1
    summary = GradingSummary(year=year, total=len(grades), counts=counts, benchmarks=marks)
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        object_type=EnterpriseGrade._meta.label,
        object_id=str(year),
        object_repr=f"{year}年亩均效益评价",
        after=_json_safe(
            {"total": summary.total, "counts": counts, "benchmarks": marks, "pack_hash": pack.content_hash}
        ),
    )
    return summary

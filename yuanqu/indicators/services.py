"""Writes of the indicator engine: full recompute, recompute after an import, and values the city
enters for indicators that have no computation yet. Every function is keyword-only and atomic.

`indicators_recompute_for_batch(batch=…)` runs after an import batch is applied or rolled back: the
statistics layer announces the batch after commit (`yuanqu.stats.signals.batch_changed`) and
`receivers.recompute_after_batch` calls it (`yuanqu compute` takes the batches left pending). It
aggregates again only the cells (parks, and districts outside parks) and periods the batch's rows
touch, and rolls up only the scopes that contain them; kinds of batch whose rows do not record the
batch (labels, land) recompute that source's cells, and an enterprise list (new or moved firms)
recomputes everything."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yuanqu.core import numbers
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.readcache import data_version_bump
from yuanqu.core.roles import Role
from yuanqu.indicators import catalogue, engine
from yuanqu.indicators.models import (
    CITY_CODE,
    VALUE_PLACES,
    ComputeRun,
    Frequency,
    IndicatorValue,
    ReportedValue,
    ScopeKind,
)
from yuanqu.registry.models import Park
from yuanqu.registry.signals import HistoryChange
from yuanqu.stats.models import ImportBatch

ERR_NOT_REPORTED = "指标“{code}”由平台计算，不能人工填报"
ERR_UNKNOWN_INDICATOR = "未知的指标代码“{code}”"
ERR_NO_PERMISSION = "只有市级管理员可以填报指标值"
ERR_BAD_SCOPE = "填报范围应为全市或某一园区类型"
ERR_VALUE_RANGE = "数值超出可存储的范围（整数部分最多{digits}位）"


@dataclass(frozen=True)
class ComputeSummary:
    kind: str
    cells: int
    values: int
    periods: int
    seconds: float


def _finish(run: ComputeRun, result: engine.RunResult, started: float) -> ComputeSummary:
    run.finished_at = timezone.now()
    run.cells = result.cells
    run.values = result.values
    run.save(update_fields=["finished_at", "cells", "values"])
    data_version_bump()  # the values went in by bulk writes, which send no signals
    return ComputeSummary(run.kind, result.cells, result.values, len(result.periods), _now() - started)


def _now() -> float:
    return time.perf_counter()


@transaction.atomic
def indicators_compute_all(*, progress: engine.Progress | None = None, today: dt.date | None = None) -> ComputeSummary:
    """Recompute every indicator value from scratch."""
    return _compute_all(progress, today, None)


def _run_start(kind: str, batch: ImportBatch | None) -> ComputeRun:
    return ComputeRun.objects.create(
        kind=kind, batch=batch, catalogue_hash=catalogue.policy_pack().content_hash, started_at=timezone.now()
    )


def _compute_all(progress: engine.Progress | None, today: dt.date | None, batch: ImportBatch | None) -> ComputeSummary:
    started = _now()
    run = _run_start(ComputeRun.Kind.FULL, batch)
    return _finish(run, engine.compute_all(progress=progress, today=today), started)


def _recompute(
    touched: engine.Touched, progress: engine.Progress | None, today: dt.date | None, batch: ImportBatch | None
) -> ComputeSummary:
    """Recompute the cells `touched` names, as one run (of the batch that touched them, if any)."""
    started = _now()
    run = _run_start(ComputeRun.Kind.BATCH, batch)
    return _finish(run, engine.recompute(touched, progress=progress, today=today), started)


def catalogue_current() -> bool:
    """Whether the last full run used the installed catalogue."""
    last = ComputeRun.objects.filter(kind=ComputeRun.Kind.FULL, finished_at__isnull=False).first()
    return last is not None and last.catalogue_hash == catalogue.policy_pack().content_hash


@transaction.atomic
def indicators_recompute_for_batch(
    batch: ImportBatch, *, progress: engine.Progress | None = None, today: dt.date | None = None
) -> ComputeSummary:
    """Recompute what one import batch changed (see the module docstring). Falls back to a full
    recompute when the catalogue changed since the last full run or the batch moved enterprises.
    `batch` may be passed by position, as the receiver of `batch_changed` does."""
    if not catalogue_current():
        return _compute_all(progress, today, batch)
    touched = engine.touched_by(batch, engine.data_calendar(today))
    if touched.everything:
        return _compute_all(progress, today, batch)
    return _recompute(touched, progress, today, batch)


@transaction.atomic
def indicators_recompute_for_history(
    change: HistoryChange, *, progress: engine.Progress | None = None, today: dt.date | None = None
) -> ComputeSummary:
    """Recompute what a change of dated state touched (a move of an enterprise from a day, a park's
    new type, a corrected date): the cells it names in the periods whose end falls on a changed day,
    and the scopes containing them. A full recompute when the catalogue changed since the last one.
    `change` may be passed by position, as the receiver of `history_changed` does."""
    if not catalogue_current():
        return _compute_all(progress, today, None)
    cal = engine.data_calendar(today)
    sources = engine.base_sources()
    touched = engine.touched_by_history(change, cal, sources)
    return _recompute(touched, progress, today, None)


def pending_batches() -> list[ImportBatch]:
    """Applied or rolled-back batches that no run has computed since the last full run."""
    last = ComputeRun.objects.filter(kind=ComputeRun.Kind.FULL, finished_at__isnull=False).first()
    if last is None:
        return []
    done = ComputeRun.objects.filter(batch__isnull=False).values("batch_id")
    return list(
        ImportBatch.objects.filter(
            status__in=(ImportBatch.Status.APPLIED, ImportBatch.Status.ROLLED_BACK), created_at__gt=last.started_at
        )
        .exclude(pk__in=done)
        .order_by("created_at", "id")
    )


def _check_reported(indicator: str) -> None:
    """Refuse a code that is not in the catalogue or not marked `source: reported`."""
    try:
        item = catalogue.indicator(indicator)
    except KeyError as exc:
        raise ValidationError({"indicator": ERR_UNKNOWN_INDICATOR.format(code=indicator)}) from exc
    if not item.reported:
        raise ValidationError({"indicator": ERR_NOT_REPORTED.format(code=indicator)})


def may_report(actor: User) -> bool:
    """Whether the actor may enter reported values (the API asks before reading anything else)."""
    return actor.is_active and (actor.role == Role.CITY_ADMIN or actor.is_superuser)


@transaction.atomic
def indicator_value_report(
    *,
    actor: User,
    indicator: str,
    period: dt.date,
    value: Decimal,
    scope_kind: str = ScopeKind.CITY,
    scope_code: str = CITY_CODE,
    note: str = "",
) -> ReportedValue:
    """The city enters a year value of an indicator marked `source: reported`; audited."""
    if not may_report(actor):
        raise WriteDenied(ERR_NO_PERMISSION, code="no_permission")
    _check_reported(indicator)
    if scope_kind not in (ScopeKind.CITY, ScopeKind.PARK_TYPE):
        raise ValidationError({"scope_kind": ERR_BAD_SCOPE})
    if not numbers.fits(value, decimal_places=VALUE_PLACES):
        raise ValidationError({"value": ERR_VALUE_RANGE.format(digits=numbers.EXACT_DIGITS - VALUE_PLACES)})
    period = dt.date(period.year, 12, 31)
    row = ReportedValue.objects.filter(
        indicator=indicator, scope_kind=scope_kind, scope_code=scope_code, frequency=Frequency.YEAR, period=period
    ).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = ReportedValue(
            indicator=indicator, scope_kind=scope_kind, scope_code=scope_code, frequency=Frequency.YEAR, period=period
        )
    row.value = value
    row.note = note
    row.reported_by = actor
    row.full_clean()
    row.save()
    after = snapshot(row)
    if before is None:
        audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=row, after=after)
    else:
        old, new = changed(before, after)
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=row, before=old, after=new)
    IndicatorValue.objects.update_or_create(
        indicator=indicator,
        scope_kind=scope_kind,
        scope_code=scope_code,
        frequency=Frequency.YEAR,
        period=period,
        defaults={"value": value, "reported": True, "computed_at": timezone.now(), "terms": {}, "batch_ids": []},
    )
    return row


@transaction.atomic
def indicator_park_values_supply(*, indicator: str, period: dt.date, values: dict[str, Decimal | None]) -> int:
    """A capability above the engine supplies the park year values of a `source: reported` indicator
    that it computes (the 发展环境指数 of `service`): park code → value, None removing the park's value.
    Kept as reported values, so a full recompute keeps them; the caller checks who may and audits.
    Returns how many values were written."""
    _check_reported(indicator)
    period = dt.date(period.year, 12, 31)
    parks = {park.code: park for park in Park.objects.filter(code__in=list(values))}
    key: dict[str, Any] = {
        "indicator": indicator,
        "scope_kind": ScopeKind.PARK,
        "frequency": Frequency.YEAR,
        "period": period,
    }
    written = 0
    for code, value in values.items():
        park = parks.get(code)
        if park is None:
            continue
        if value is None:
            ReportedValue.objects.filter(scope_code=code, **key).delete()
            IndicatorValue.objects.filter(scope_code=code, **key).delete()
            continue
        ReportedValue.objects.update_or_create(scope_code=code, **key, defaults={"value": value})
        IndicatorValue.objects.update_or_create(
            scope_code=code,
            **key,
            defaults={
                "value": value,
                "park": park,
                "district_id": park.district_id,
                "reported": True,
                "computed_at": timezone.now(),
                "terms": {},
                "batch_ids": [],
            },
        )
        written += 1
    return written

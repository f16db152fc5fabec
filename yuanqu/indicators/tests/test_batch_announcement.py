"""The indicators recompute a batch when the statistics layer announces it (the intake app sends the
announcement and imports nothing of the indicators); a failed recompute leaves the batch pending for
`yuanqu compute`."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.indicators import receivers
from yuanqu.indicators.models import ComputeRun, IndicatorValue
from yuanqu.indicators.services import pending_batches
from yuanqu.indicators.tests.factories import revenue_correction
from yuanqu.stats.models import ImportBatch
from yuanqu.stats.signals import batch_changed_on_commit

Y2024 = dt.date(2024, 12, 31)


@pytest.fixture
def correction(computed: World) -> ImportBatch:
    """E1's 2024 revenue corrected to 1,300,000 by a new batch, after a full run."""
    return revenue_correction(computed, 1_300_000)


def test_it_recomputes_a_batch_the_statistics_layer_announces(
    correction: ImportBatch, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch_changed_on_commit(correction)
    row = IndicatorValue.objects.get(
        indicator="revenue", scope_kind="park", scope_code="PA", frequency="year", period=Y2024
    )
    assert row.value == Decimal(1_300_000)
    assert ComputeRun.objects.get(batch=correction).kind == ComputeRun.Kind.BATCH


def test_a_failed_recompute_is_logged_and_leaves_the_batch_pending(
    correction: ImportBatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(batch: ImportBatch) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(receivers, "indicators_recompute_for_batch", broken)
    with (
        caplog.at_level(logging.ERROR, logger="yuanqu.indicators.receivers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        batch_changed_on_commit(correction)
    assert f"指标重算失败（批次 {correction.pk}）" in caplog.text
    assert pending_batches() == [correction]

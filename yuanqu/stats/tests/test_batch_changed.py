"""An applied or rolled-back batch is announced to the apps above the statistics layer once the
transaction commits, and a receiver that fails neither stops the others nor reaches the sender."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from yuanqu.stats.models import ImportBatch
from yuanqu.stats.signals import batch_changed, batch_changed_on_commit


@pytest.fixture
def heard() -> Any:
    """The batches a receiver of `batch_changed` was told about, while the test runs."""
    found: list[ImportBatch] = []

    def receiver(sender: Any, *, batch: ImportBatch, **kwargs: Any) -> None:
        found.append(batch)

    batch_changed.connect(receiver, dispatch_uid="test.heard")
    yield found
    batch_changed.disconnect(dispatch_uid="test.heard")


def _batch() -> ImportBatch:
    return ImportBatch.objects.create(kind=ImportBatch.Kind.MONTHLY, status=ImportBatch.Status.APPLIED)


def test_it_announces_the_batch_once_the_transaction_commits(
    db: None, heard: list[ImportBatch], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    batch = _batch()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch_changed_on_commit(batch)
        assert heard == []
    assert len(callbacks) == 1
    assert heard == [batch]


def test_it_announces_nothing_when_the_transaction_rolls_back(
    db: None, heard: list[ImportBatch], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    batch = _batch()
    with django_capture_on_commit_callbacks(execute=False):
        batch_changed_on_commit(batch)
    assert heard == []


def test_a_failing_receiver_is_logged_and_the_others_still_hear(
    db: None,
    heard: list[ImportBatch],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver down")

    batch_changed.connect(broken, dispatch_uid="test.broken")
    try:
        batch = _batch()
        with (
            caplog.at_level(logging.ERROR, logger="yuanqu.stats.signals"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            batch_changed_on_commit(batch)
    finally:
        batch_changed.disconnect(dispatch_uid="test.broken")
    assert heard == [batch]
    assert any(f"批次 {batch.pk} 的后续处理" in record.getMessage() for record in caplog.records)

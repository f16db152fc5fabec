"""An applied import recomputes the indicators of what it touched, once the import has committed."""

from __future__ import annotations

from typing import Any

from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx


def test_it_recomputes_indicators_after_an_applied_import(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yuanqu.indicators.models import ComputeRun, IndicatorValue

    e1 = world.enterprises["E1"]
    content = xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-03", 12, 32, 30]])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = import_file(world, "district_jiangxia", "monthly", content)
    assert outcome.status == "applied", texts(outcome)
    assert len(callbacks) == 1
    run = ComputeRun.objects.get(batch=outcome.batch)
    assert run.finished_at is not None
    assert IndicatorValue.objects.filter(scope_kind="park", scope_code="PA").exists()


def test_it_does_not_recompute_after_a_rejected_import(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    content = xlsx([MONTHLY_HEADER, ["91350100M000100Y44", "坏代码企业", "2026-03", 12, 32, 30]])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = import_file(world, "district_jiangxia", "monthly", content)
    assert outcome.status == "rejected"
    assert callbacks == []

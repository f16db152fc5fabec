"""An applied import recomputes the indicators of what it touched, once the import has committed."""

from __future__ import annotations

from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx


def test_it_recomputes_indicators_after_an_applied_import(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
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


def test_it_does_not_recompute_after_a_rejected_import(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    content = xlsx([MONTHLY_HEADER, ["91350100M000100Y44", "坏代码企业", "2026-03", 12, 32, 30]])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = import_file(world, "district_jiangxia", "monthly", content)
    assert outcome.status == "rejected"
    assert callbacks == []


def test_a_rollback_recomputes_what_the_batch_had_fed(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    import datetime as dt
    from decimal import Decimal

    from yuanqu.indicators.models import IndicatorValue
    from yuanqu.intake.services import batch_rollback
    from yuanqu.registry.models import EnterpriseLabel

    e1 = world.enterprises["E1"]
    EnterpriseLabel.objects.create(enterprise=e1, kind="above_scale", valid_from=dt.date(2020, 1, 1))

    def park_revenue() -> Decimal | None:
        row = IndicatorValue.objects.filter(
            indicator="above_scale_revenue",
            scope_kind="park",
            scope_code="PA",
            frequency="month",
            period=dt.date(2026, 3, 31),
        ).first()
        return row.value if row else None

    def month_file(month: int, ytd: int) -> bytes:
        return xlsx([MONTHLY_HEADER, [e1.uscc, "", "2026-03", month, ytd, 30]])

    with django_capture_on_commit_callbacks(execute=True):
        first = import_file(world, "district_jiangxia", "monthly", month_file(12, 32))
    after_first = park_revenue()
    with django_capture_on_commit_callbacks(execute=True):
        second = import_file(world, "district_jiangxia", "monthly", month_file(20, 50))
    assert first.status == second.status == "applied"
    assert park_revenue() != after_first
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch_rollback(actor=world.users["district_jiangxia"], batch=second.batch)
    assert len(callbacks) == 1
    assert after_first is not None and park_revenue() == after_first


def test_an_enterprise_import_recomputes_only_the_parks_it_changed(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from yuanqu.indicators import engine
    from yuanqu.indicators.models import ComputeRun
    from yuanqu.indicators.services import indicators_compute_all

    indicators_compute_all()
    e1 = world.enterprises["E1"]
    header = ["统一社会信用代码", "企业名称", "行业代码", "所属区", "地址"]
    row = [e1.uscc, "", "", "", "武汉市江夏区光谷大道1号"]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = import_file(world, "city_admin", "enterprises", xlsx([header, row]))
    assert outcome.status == "applied", texts(outcome)
    batch = outcome.batch
    batch.refresh_from_db()
    assert batch.scopes == [[e1.park_id, e1.district_id]]
    touched = engine.touched_by(batch, engine.data_calendar())
    assert not touched.everything
    assert touched.cells and all(
        cells is not None and (cells.parks, cells.outside) == ({e1.park_id}, set()) for cells in touched.cells.values()
    )
    assert ComputeRun.objects.get(batch=batch).kind == ComputeRun.Kind.BATCH

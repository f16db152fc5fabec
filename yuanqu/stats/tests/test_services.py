"""The statistics write path: new rows, replaced values kept as revisions, unchanged rows left
alone, all-or-nothing writes, and rollback restoring exactly what a batch replaced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat, StatRevision
from yuanqu.stats.services import StatRow, stats_rollback, stats_write

JUNE = dt.date(2026, 6, 1)


def _batch(kind: str = ImportBatch.Kind.MONTHLY) -> ImportBatch:
    return ImportBatch.objects.create(kind=kind, status=ImportBatch.Status.APPLIED, file_name=f"{kind}.xlsx")


def _write(world: World, batch: ImportBatch, rows: list[StatRow]) -> Any:
    return stats_write(actor=world.users["city_admin"], batch=batch, rows=rows)


def test_it_creates_rows_and_records_nothing_to_restore(world: World) -> None:
    e1 = world.enterprises["E1"]
    batch = _batch()
    summary = _write(
        world, batch, [StatRow((e1.pk, JUNE), {"revenue_month": Decimal("12.50"), "revenue_ytd": Decimal("80")})]
    )
    row = MonthlyStat.objects.get(enterprise=e1, period=JUNE)
    assert (summary.created, summary.updated, summary.revisions) == (1, 0, 0)
    assert row.revenue_ytd == Decimal("80.00") and row.batch == batch
    assert not StatRevision.objects.exists()


def test_it_keeps_the_replaced_value_as_a_revision(world: World) -> None:
    e1 = world.enterprises["E1"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80"), "output_ytd": Decimal("90")})])
    summary = _write(world, second, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("85")})])
    row = MonthlyStat.objects.get(enterprise=e1, period=JUNE)
    revision = StatRevision.objects.get()
    assert summary.updated == 1 and summary.revisions == 1
    # Only the measure the second batch carried changed; the other keeps the first batch's value.
    assert (row.revenue_ytd, row.output_ytd, row.batch) == (Decimal("85.00"), Decimal("90.00"), second)
    assert revision.old_values["revenue_ytd"] == "80.00" and revision.old_batch == first
    assert revision.replaced_by == second and revision.row_key == f"{e1.pk}:2026-06-01"


def test_it_keeps_every_old_value_of_the_row_in_the_revision_as_the_json_field_holds_it(world: World) -> None:
    """The revisions are written in bulk without a model instance (COPY on PostgreSQL): each holds
    the whole old row, amounts as text with their two places, integers as numbers, empty as null,
    and reads back through the model like any other."""
    from yuanqu.stats.services import MONTHLY_FIELDS

    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    first, second = _batch(), _batch()
    _write(
        world,
        first,
        [
            StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80.5"), "profit_month": Decimal("-3"), "employees": 40}),
            StatRow((e2.pk, JUNE), {"months_covered": 2, "output_ytd": Decimal("1234567890123.45")}),
        ],
    )
    _write(
        world,
        second,
        [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("81")}), StatRow((e2.pk, JUNE), {"employees": 7})],
    )
    revisions = {revision.row_key: revision for revision in StatRevision.objects.filter(replaced_by=second)}
    empty = dict.fromkeys(MONTHLY_FIELDS)
    assert revisions[f"{e1.pk}:2026-06-01"].old_values == empty | {
        "months_covered": 1,
        "revenue_ytd": "80.50",
        "profit_month": "-3.00",
        "employees": 40,
    }
    assert revisions[f"{e2.pk}:2026-06-01"].old_values == empty | {
        "months_covered": 2,
        "output_ytd": "1234567890123.45",
    }
    assert {revision.old_batch_id for revision in revisions.values()} == {first.pk}
    assert all(revision.table == "stats.monthlystat" and revision.replaced_at for revision in revisions.values())
    rows = MonthlyStat.objects.order_by("enterprise_id").values_list(
        "revenue_ytd", "profit_month", "employees", "batch"
    )
    assert list(rows) == [(Decimal("81.00"), Decimal("-3.00"), 40, second.pk), (None, None, 7, second.pk)]
    stats_rollback(actor=world.users["city_admin"], batch=second)
    assert MonthlyStat.objects.get(enterprise=e2).output_ytd == Decimal("1234567890123.45")


def test_it_leaves_identical_rows_alone(world: World) -> None:
    e1 = world.enterprises["E1"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80.00")})])
    summary = _write(world, second, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80")})])
    assert (summary.unchanged, summary.updated) == (1, 0)
    assert MonthlyStat.objects.get().batch == first and not StatRevision.objects.exists()


def test_it_rolls_back_to_the_values_a_batch_replaced(world: World) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80"), "employees": 40})])
    _write(
        world,
        second,
        [
            StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("95"), "employees": 42}),
            StatRow((e2.pk, JUNE), {"revenue_ytd": Decimal("10")}),
        ],
    )
    summary = stats_rollback(actor=world.users["city_admin"], batch=second)
    assert (summary.restored, summary.deleted) == (1, 1)
    row = MonthlyStat.objects.get(enterprise=e1, period=JUNE)
    assert (row.revenue_ytd, row.employees, row.batch) == (Decimal("80.00"), 40, first)
    assert not MonthlyStat.objects.filter(enterprise=e2).exists()
    second.refresh_from_db()
    assert second.status == ImportBatch.Status.ROLLED_BACK
    assert AuditLog.objects.filter(
        object_type="stats.ImportBatch", object_id=str(second.pk), detail__contains="回滚"
    ).exists()


def test_it_refuses_to_roll_back_a_batch_whose_values_were_replaced_later(world: World) -> None:
    e1 = world.enterprises["E1"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80")})])
    _write(world, second, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("95")})])
    with pytest.raises(ValidationError, match=f"已被之后的批次#{second.pk}修改"):
        stats_rollback(actor=world.users["city_admin"], batch=first)
    assert MonthlyStat.objects.get().revenue_ytd == Decimal("95.00")
    stats_rollback(actor=world.users["city_admin"], batch=second)
    stats_rollback(actor=world.users["city_admin"], batch=first)
    assert not MonthlyStat.objects.exists()


def test_it_refuses_a_second_rollback(world: World) -> None:
    batch = _batch()
    _write(world, batch, [StatRow((world.enterprises["E1"].pk, JUNE), {"revenue_ytd": Decimal("1")})])
    stats_rollback(actor=world.users["city_admin"], batch=batch)
    with pytest.raises(ValidationError, match="只有“已写入”状态的批次可以回滚"):
        stats_rollback(actor=world.users["city_admin"], batch=batch)


def test_it_writes_nothing_when_it_fails_half_way(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash in the middle of the write (here: the revisions insert) leaves the table as it was."""
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80")})])

    from yuanqu.stats import services

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(services, "_insert_revisions", crash)
    with pytest.raises(RuntimeError):
        _write(
            world,
            second,
            [
                StatRow((e2.pk, JUNE), {"revenue_ytd": Decimal("5")}),
                StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("99")}),
            ],
        )
    assert list(MonthlyStat.objects.values_list("enterprise_id", "revenue_ytd")) == [(e1.pk, Decimal("80.00"))]


def test_it_refuses_a_key_twice_in_one_batch(world: World) -> None:
    e1 = world.enterprises["E1"]
    with pytest.raises(ValidationError, match="出现了不止一次"):
        _write(world, _batch(), [StatRow((e1.pk, JUNE), {}), StatRow((e1.pk, JUNE), {})])
    assert not MonthlyStat.objects.exists()


def test_it_refuses_a_batch_that_is_not_statistics(world: World) -> None:
    with pytest.raises(ValidationError, match="不是统计数据"):
        _write(world, _batch(ImportBatch.Kind.LABELS), [])


@pytest.mark.parametrize(
    ("kind", "model", "owner", "values"),
    [
        (ImportBatch.Kind.ANNUAL, AnnualStat, "E1", {"revenue": Decimal("1500"), "land_mu": Decimal("20.5")}),
        (ImportBatch.Kind.PARK_ANNUAL, ParkAnnualStat, "PA", {"service_staff": 30, "renewable_share": Decimal("12.5")}),
    ],
)
def test_it_writes_and_rolls_back_annual_tables(
    world: World, kind: str, model: Any, owner: str, values: dict[str, Any]
) -> None:
    owner_obj = world.enterprises.get(owner) or world.parks[owner]
    first, second = _batch(kind), _batch(kind)
    _write(world, first, [StatRow((owner_obj.pk, 2025), values)])
    changed = {name: value * 2 for name, value in values.items()}
    _write(world, second, [StatRow((owner_obj.pk, 2025), changed)])
    assert {name: getattr(model.objects.get(), name) for name in values} == changed
    stats_rollback(actor=world.users["city_admin"], batch=second)
    assert {name: getattr(model.objects.get(), name) for name in values} == values


def test_import_slots_are_claimed_once_and_freed_by_their_holder(db: None) -> None:
    from yuanqu.stats.services import import_slot_claim, import_slot_release

    assert [import_slot_claim(holder=h, slots=2, stale_seconds=900) for h in ("a", "b", "c")] == [1, 2, None]
    import_slot_release(number=1, holder="b")  # not b's slot: nothing changes
    assert import_slot_claim(holder="c", slots=2, stale_seconds=900) is None
    import_slot_release(number=1, holder="a")
    assert import_slot_claim(holder="c", slots=2, stale_seconds=900) == 1


def test_it_replaces_rows_chunk_by_chunk_with_one_delete_and_no_row_loaded_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old rows are looked up a chunk at a time (never the whole batch's at once) and deleted by
    one statement per chunk, not loaded again row by row to send delete signals."""
    from django.db.models.signals import post_delete

    from yuanqu.stats import services

    firms = [world.enterprises[code] for code in ("E1", "E2", "E3")]
    months = [dt.date(2026, month, 1) for month in (3, 4, 5, 6)]
    keys = [(firm.pk, month) for firm in firms for month in months]
    first, second = _batch(), _batch()
    monkeypatch.setattr(services, "WRITE_CHUNK", 5)
    _write(world, first, [StatRow(key, {"revenue_ytd": Decimal(index)}) for index, key in enumerate(keys)])
    looked_up: list[int] = []
    real_existing = services._existing

    def existing(table: Any, wanted: Any) -> Any:
        looked_up.append(len(wanted))
        return real_existing(table, wanted)

    deleted: list[object] = []

    def on_delete(sender: type, **kwargs: Any) -> None:
        if sender is MonthlyStat:
            deleted.append(kwargs["instance"])

    monkeypatch.setattr(services, "_existing", existing)
    post_delete.connect(on_delete, weak=False, dispatch_uid="test-stats-chunks")
    try:
        # Every row but the first replaced; the first is the same value again.
        summary = _write(
            world,
            second,
            [StatRow(key, {"revenue_ytd": Decimal(index + (index > 0) * 100)}) for index, key in enumerate(keys)],
        )
    finally:
        post_delete.disconnect(dispatch_uid="test-stats-chunks")
    assert looked_up == [5, 5, 2] and deleted == []
    assert (summary.created, summary.updated, summary.unchanged, summary.revisions) == (0, 11, 1, 11)
    stored = {
        (row[0], row[1]): row[2] for row in MonthlyStat.objects.values_list("enterprise", "period", "revenue_ytd")
    }
    assert stored == {key: Decimal(index + (index > 0) * 100) for index, key in enumerate(keys)}
    assert StatRevision.objects.filter(replaced_by=second).count() == 11
    stats_rollback(actor=world.users["city_admin"], batch=second)
    restored = MonthlyStat.objects.values_list("enterprise", "period", "revenue_ytd", "batch")
    assert {(row[0], row[1]): (row[2], row[3]) for row in restored} == {
        key: (Decimal(index), first.pk) for index, key in enumerate(keys)
    }


def test_a_failure_in_a_later_chunk_undoes_the_chunks_written_before_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yuanqu.stats import services

    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    first, second = _batch(), _batch()
    _write(world, first, [StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("80")})])
    monkeypatch.setattr(services, "WRITE_CHUNK", 1)
    real = services._insert_revisions
    calls: list[int] = []

    def crash_second(table: Any, batch: Any, revisions: Any) -> None:
        calls.append(len(revisions))
        if len(calls) == 2:
            raise RuntimeError("killed")
        real(table, batch, revisions)

    monkeypatch.setattr(services, "_insert_revisions", crash_second)
    with pytest.raises(RuntimeError):
        _write(
            world,
            second,
            [
                StatRow((e1.pk, JUNE), {"revenue_ytd": Decimal("99")}),
                StatRow((e2.pk, JUNE), {"revenue_ytd": Decimal("5")}),
            ],
        )
    assert calls == [1, 0]
    assert list(MonthlyStat.objects.values_list("enterprise_id", "revenue_ytd", "batch")) == [
        (e1.pk, Decimal("80.00"), first.pk)
    ]
    assert not StatRevision.objects.exists()


def test_it_takes_the_rows_as_a_stream_and_a_repeat_in_a_later_chunk_undoes_the_earlier_ones(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The importer hands its rows over as they are made (a generator): the writer takes a chunk at
    a time, and a key repeated in a later chunk still leaves nothing written."""
    from yuanqu.stats import services

    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    monkeypatch.setattr(services, "WRITE_CHUNK", 2)
    taken: list[tuple[Any, Any]] = []

    def rows() -> Any:
        for key in [(e1.pk, JUNE), (e2.pk, JUNE), (e1.pk, dt.date(2026, 7, 1)), (e1.pk, JUNE)]:
            taken.append(key)
            yield StatRow(key, {"revenue_ytd": Decimal("80")})

    steps: list[tuple[int, int]] = []
    with pytest.raises(ValidationError, match="出现了不止一次"):
        stats_write(
            actor=world.users["city_admin"],
            batch=_batch(),
            rows=rows(),
            total=4,
            progress=lambda step, done, total: steps.append((done, total)),
        )
    assert len(taken) == 4 and steps == [(2, 4)]  # the first chunk was written, then undone
    assert not MonthlyStat.objects.exists()
    stream = (StatRow((firm.pk, JUNE), {"revenue_ytd": Decimal("80")}) for firm in (e1, e2))
    summary = stats_write(actor=world.users["city_admin"], batch=_batch(), rows=stream)
    assert (summary.created, summary.updated) == (2, 0)
    assert sorted(MonthlyStat.objects.values_list("enterprise_id", flat=True)) == sorted([e1.pk, e2.pk])

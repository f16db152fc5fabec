"""Batches: the original kept by digest, a re-upload recognised as a no-op, replaced values kept as
revisions and restored by rollback, a crash half-way leaving the database as it was, the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.intake.services import batch_report, batch_rollback, clean_file_name, original_path, result_load
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx
from yuanqu.stats.models import ImportBatch, MonthlyStat, StatRevision


def _file(world: World, revenue: Any = 5, period: str = "2026-01", firms: tuple[str, ...] = ("E1",)) -> bytes:
    rows: list[Sequence[object]] = [MONTHLY_HEADER]
    for key in firms:
        firm = world.enterprises[key]
        rows.append([firm.uscc, firm.name, period, revenue, revenue, 20])
    return xlsx(rows)


def _revenue(world: World, key: str = "E1") -> Decimal | None:
    row = MonthlyStat.objects.filter(enterprise=world.enterprises[key], period=dt.date(2026, 1, 1)).first()
    return row.revenue_ytd if row else None


def test_it_keeps_the_original_under_its_sha256(world: World, media_root: Path) -> None:
    content = _file(world)
    outcome = import_file(world, "district_jiangxia", "monthly", content, name="../../etc/月报<1>.xlsx")
    digest = hashlib.sha256(content).hexdigest()
    assert outcome.batch.file_sha256 == digest
    assert original_path(digest).read_bytes() == content
    assert original_path(digest).is_relative_to(media_root / "intake")
    assert outcome.batch.file_name == "月报_1_.xlsx"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\张三\\Desktop\\月报.xlsx", "月报.xlsx"),
        ("../../secret.csv", "secret.csv"),
        ("a\x00b\nc.XLSX", "a_b_c.xlsx"),
        ("..", "upload"),
        ("很长" * 100 + ".xlsx", "很长" * 57 + "很.xlsx"),
    ],
)
def test_it_sanitises_file_names(raw: str, clean: str) -> None:
    assert clean_file_name(raw) == clean


def test_it_recognises_the_same_file_uploaded_again(world: World) -> None:
    content = _file(world)
    first = import_file(world, "district_jiangxia", "monthly", content)
    audit_entries = AuditLog.objects.count()
    again = import_file(world, "district_jiangxia", "monthly", content, name="copy.xlsx")
    assert again.status == "duplicate" and again.batch is None and again.duplicate_of == first.batch
    assert f"与批次#{first.batch.pk}" in again.message and "未作任何更改" in again.message
    assert ImportBatch.objects.count() == 1 and MonthlyStat.objects.count() == 1
    assert AuditLog.objects.count() == audit_entries


def test_it_imports_the_same_file_again_after_a_rollback(world: World) -> None:
    content = _file(world)
    first = import_file(world, "district_jiangxia", "monthly", content)
    batch_rollback(actor=world.users["district_jiangxia"], batch=first.batch)
    assert import_file(world, "district_jiangxia", "monthly", content).status == "applied"


def test_it_keeps_replaced_values_and_rolls_them_back(world: World) -> None:
    district = world.users["district_jiangxia"]
    first = import_file(world, "district_jiangxia", "monthly", _file(world, 5, firms=("E1",)))
    second = import_file(world, "district_jiangxia", "monthly", _file(world, 7, firms=("E1", "E2")))
    assert second.counts == {**second.counts, "created": 1, "updated": 1, "unchanged": 0}
    revision = StatRevision.objects.get(replaced_by=second.batch)
    assert revision.old_batch == first.batch and revision.old_values["revenue_ytd"] == "5.00"
    assert (_revenue(world, "E1"), _revenue(world, "E2")) == (Decimal("7.00"), Decimal("7.00"))

    summary = batch_rollback(actor=district, batch=second.batch)
    assert (summary.restored, summary.deleted) == (1, 1)
    assert (_revenue(world, "E1"), _revenue(world, "E2")) == (Decimal("5.00"), None)
    assert AuditLog.objects.filter(object_id=str(second.batch.pk), detail__startswith="回滚批次").count() == 1


def test_it_lets_only_writers_in_scope_roll_back(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", _file(world))
    with pytest.raises(ValidationError, match="批次不存在或不在您的权限范围内"):
        batch_rollback(actor=world.users["district_caidian"], batch=outcome.batch)
    with pytest.raises(PermissionDenied, match="无权回滚"):
        batch_rollback(actor=world.users["city_viewer"], batch=outcome.batch)
    assert _revenue(world) == Decimal("5.00")


def test_it_leaves_the_database_unchanged_when_an_import_is_killed_half_way(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yuanqu.stats.services as stats_services

    import_file(world, "district_jiangxia", "monthly", _file(world, 5, firms=("E1",)))
    before = (
        list(MonthlyStat.objects.values_list("enterprise_id", "revenue_ytd", "batch_id")),
        ImportBatch.objects.count(),
        StatRevision.objects.count(),
        AuditLog.objects.count(),
    )
    monkeypatch.setattr(stats_services, "WRITE_CHUNK", 1)
    real = stats_services._insert
    calls = []

    def dying(table: Any, batch: Any, keys: Any, rows: Any) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            raise SystemExit("killed")  # the process dies after one chunk is already written
        real(table, batch, keys, rows)

    monkeypatch.setattr(stats_services, "_insert", dying)
    with pytest.raises(SystemExit):
        import_file(world, "district_jiangxia", "monthly", _file(world, 9, firms=("E1", "E2", "E4")))
    assert calls == [1, 1]
    after = (
        list(MonthlyStat.objects.values_list("enterprise_id", "revenue_ytd", "batch_id")),
        ImportBatch.objects.count(),
        StatRevision.objects.count(),
        AuditLog.objects.count(),
    )
    assert after == before


def test_it_writes_nothing_in_a_dry_run(world: World, media_root: Path) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", _file(world), dry_run=True)
    assert outcome.status == "checked" and outcome.message == "校验通过（仅校验，未写入）：1行可导入"
    assert not ImportBatch.objects.exists() and not MonthlyStat.objects.exists()
    assert not media_root.exists()


def test_it_audits_the_applied_batch_and_the_report_download(world: World) -> None:
    district = world.users["district_jiangxia"]
    applied = import_file(world, "district_jiangxia", "monthly", _file(world))
    entry = AuditLog.objects.get(action="create", object_type="stats.ImportBatch", object_id=str(applied.batch.pk))
    assert entry.after is not None
    assert entry.actor == district and entry.after["created"] == 1 and entry.after["sha256"] == applied.sha256
    rejected = import_file(world, "district_jiangxia", "monthly", _file(world, -1))
    assert not AuditLog.objects.filter(object_id=str(rejected.batch.pk), action="create").exists()
    batch_report(actor=district, batch=rejected.batch)
    assert AuditLog.objects.filter(action="export", object_id=str(rejected.batch.pk)).count() == 1


def test_it_keeps_the_problems_of_a_rejected_batch(world: World) -> None:
    rejected = import_file(world, "district_jiangxia", "monthly", _file(world, -1))
    result = result_load(rejected.batch)
    assert result["errors_total"] == 2 and result["counts"]["rows_error"] == 1
    assert result["issues"][0]["text"] == texts(rejected)[0]
    assert (rejected.batch.district_id, rejected.batch.uploaded_by) == (
        world.districts["jiangxia"].pk,
        world.users["district_jiangxia"],
    )


def test_it_records_the_uploaders_park_and_district(world: World) -> None:
    outcome = import_file(world, "park_operator", "monthly", _file(world))
    assert outcome.status == "applied", texts(outcome)
    assert (outcome.batch.park, outcome.batch.district) == (world.parks["PA"], world.districts["jiangxia"])

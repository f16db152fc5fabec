"""The intake pipeline: check a file, read it, validate every row, and write all of it or nothing.

`batch_import` is called by the upload page, the API and `yuanqu import`. A file that is unsafe or
not what it claims is refused before a batch exists (`FileRefused`, nothing stored). Otherwise the
original is kept content-addressed under MEDIA_ROOT/intake/, and the upload becomes a batch:
rejected (any error: nothing written, the problems kept for the error report) or applied (every row
written in one transaction: statistics through yuanqu.stats.services with revisions, registry rows
through the registry services, each audited). The same file uploaded again is recognised and
changes nothing. `batch_rollback` undoes a statistics batch. An applied or rolled-back batch is
announced after commit (`yuanqu.stats.signals.batch_changed`); the indicators recompute what it
touched (intake imports no app above it)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, check_fields, check_place
from yuanqu.core.readcache import data_version_bump
from yuanqu.core.roles import Role
from yuanqu.intake import reading
from yuanqu.intake.kinds import KindSpec
from yuanqu.intake.validation import ISSUES_KEPT, Issue, Record, Validation, can_upload, validate
from yuanqu.intake.workbooks import error_report_bytes
from yuanqu.jobs.files import file_keep
from yuanqu.jobs.services import pid_alive
from yuanqu.registry import geo
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LandParcel, Park
from yuanqu.registry.services import enterprise_create, enterprise_label_add, enterprise_update, land_parcel_create
from yuanqu.stats.models import ImportBatch
from yuanqu.stats.services import (
    STAT_TABLES,
    StatRollbackSummary,
    StatRow,
    import_slot_claim,
    import_slot_release,
    import_slots_held,
    stats_rollback,
    stats_write,
)
from yuanqu.stats.signals import batch_changed_on_commit

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

ERR_NO_ROLLBACK_RIGHT = gettext_noop("您的角色无权回滚数据批次")
ERR_ROLLBACK_KIND = "“{kind}”批次的每条修改都已记入审计日志，不支持整批回滚；请在布局体系中逐条修改"
ERR_NOT_VISIBLE = gettext_noop("批次不存在或不在您的权限范围内")
ERR_BUSY = "平台正在处理其他导入（同时最多{slots}个），请稍等一两分钟后再上传；本次未读取、未写入任何数据"
SLOT_POLL_SECONDS = 0.25
MSG_APPLIED = gettext_noop("已写入：新增{created}条，修改{updated}条（原值已存为修订，可回滚），未变{unchanged}条")
MSG_REJECTED = gettext_noop(
    "校验未通过，未写入任何数据：{errors}个错误（涉及{rows}行）。请下载错误报告，修改后重新上传"
)
MSG_DUPLICATE = gettext_noop("该文件与批次#{batch}（{when}导入）完全相同，数据已在平台中，本次未作任何更改")
MSG_CHECKED = gettext_noop("校验通过（仅校验，未写入）：{rows}行可导入")
MSG_CHECK_FAILED = gettext_noop("校验未通过（仅校验，未写入）：{errors}个错误（涉及{rows}行）")
MSG_EXPLAIN_NEEDED = gettext_noop(
    "有{count}处需说明的审核异常（见警告，涉及{rows}行），未写入任何数据：请在“说明”中写明原因后重新上传"
)
MSG_CHECKED_EXPLAIN = gettext_noop(
    "校验通过（仅校验，未写入）：{rows}行可导入；其中{count}处审核异常须在正式上传时于“说明”中写明原因"
)
APPLIED, REJECTED, DUPLICATE, CHECKED, CHECK_FAILED = "applied", "rejected", "duplicate", "checked", "check_failed"


def limits() -> reading.Limits:
    max_mb = int(getattr(settings, "INTAKE_MAX_UPLOAD_MB", 50))
    return reading.Limits(
        max_cells=int(getattr(settings, "INTAKE_MAX_CELLS", reading.Limits.max_cells)),
        reader_memory_mb=int(getattr(settings, "INTAKE_READER_MEMORY_MB", reading.Limits.reader_memory_mb)),
        max_bytes=max_mb * 1024 * 1024,
        max_uncompressed_bytes=int(getattr(settings, "INTAKE_MAX_UNCOMPRESSED_MB", max(200, max_mb * 10)))
        * 1024
        * 1024,
        max_members=int(getattr(settings, "INTAKE_MAX_ZIP_MEMBERS", 1000)),
        max_rows=int(getattr(settings, "INTAKE_MAX_ROWS", 200_000)),
        max_columns=int(getattr(settings, "INTAKE_MAX_COLUMNS", 200)),
    )


class ImportBusy(reading.FileRefused):
    """Every import slot stayed taken while the upload waited; nothing was read or stored."""


@contextmanager
def import_slot() -> Iterator[None]:
    """Hold one of the import slots (yuanqu.stats.services.import_slot_claim) while a file is read,
    checked and written, so that at most INTAKE_CONCURRENT_IMPORTS files are parsed at once over
    every process and host. Waits up to INTAKE_SLOT_WAIT_SECONDS for a free slot, then refuses.
    A slot whose holder is known dead is freed at once: by the claim itself when the holder ran on
    this host (`slots_of_dead_free`), by the job reaper otherwise (`slots_of_worker_free`);
    INTAKE_SLOT_STALE_SECONDS is the last resort for a holder on another host that was no job."""
    slots = int(getattr(settings, "INTAKE_CONCURRENT_IMPORTS", 2))
    wait = float(getattr(settings, "INTAKE_SLOT_WAIT_SECONDS", 10))
    stale = int(getattr(settings, "INTAKE_SLOT_STALE_SECONDS", 900))
    holder = f"{_holder_prefix(socket.gethostname(), os.getpid())}{uuid.uuid4().hex[:16]}"
    deadline = time.monotonic() + wait
    while (number := _slot_claim(holder, slots, stale)) is None:
        if time.monotonic() >= deadline:
            raise ImportBusy(ERR_BUSY.format(slots=slots))
        time.sleep(SLOT_POLL_SECONDS)
    try:
        yield
    finally:
        _slot_release(number, holder)


def _holder_prefix(host: str, pid: int | str) -> str:
    return f"{host[:30]}:{pid}:"


def slots_of_dead_free() -> int:
    """Free the slots held by processes of this host that no longer exist (a worker or a command
    killed in the middle of an import). Returns how many were freed."""
    freed = 0
    for number, holder in import_slots_held(prefix=f"{socket.gethostname()[:30]}:"):
        pid = holder.split(":")[-2]
        if pid.isdigit() and not pid_alive(int(pid)):
            import_slot_release(number=number, holder=holder)
            freed += 1
    return freed


def slots_of_worker_free(worker: str, **_: Any) -> None:
    """Receiver of yuanqu.jobs.signals.worker_lost: free the slots the lost worker (“host:pid”) held."""
    host, _sep, pid = worker.rpartition(":")
    for number, holder in import_slots_held(prefix=_holder_prefix(host, pid)):
        import_slot_release(number=number, holder=holder)
        logger.warning("后台任务进程%s已中断，已释放其占用的导入并发位%s", worker, number)


def _slot_claim(holder: str, slots: int, stale: int) -> int | None:
    """A slot, or None when all are taken — or when SQLite is locked by another import's write
    (waiting for it is what the caller does anyway)."""
    try:
        number = import_slot_claim(holder=holder, slots=slots, stale_seconds=stale)
        if number is None and slots_of_dead_free():
            number = import_slot_claim(holder=holder, slots=slots, stale_seconds=stale)
        return number
    except OperationalError:
        if connection.in_atomic_block:
            raise
        return None


def _slot_release(number: int, holder: str) -> None:
    for attempt in range(3):
        try:
            import_slot_release(number=number, holder=holder)
            return
        except OperationalError:
            if connection.in_atomic_block or attempt == 2:
                # Not freed now: taken over once INTAKE_SLOT_STALE_SECONDS have passed.
                logger.warning("导入并发位%s未能释放，将在超时后由其他导入接管", number)
                return
            time.sleep(1)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


def clean_file_name(name: str) -> str:
    """The name shown for an upload: no directories, no control or reserved characters, at most
    120 characters with the extension kept. Never used as a path: files are stored by digest."""
    base = PurePosixPath(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix[:10].lower()
    stem = stem[: 120 - len(suffix) - 1] or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "intake"


def original_path(sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a sha256 digest")
    return storage_root() / sha256[:2] / sha256


def original_store(content: bytes, sha256: str) -> Path:
    """Keep the file under its digest; a file already there is the same file."""
    path = original_path(sha256)
    if not path.exists():
        file_keep(content, path)
    return path


STORE_CHUNK = 1 << 20


def original_store_stream(chunks: Iterable[bytes], *, max_bytes: int) -> tuple[str, int]:
    """Keep a file that arrives in chunks (an upload being received) under its digest, computed
    while it is written, so that no copy of it is ever whole in memory. Returns (sha256, size).
    Raises FileTooLarge, keeping nothing, when it runs past `max_bytes`."""
    root = storage_root() / "incoming"
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as handle:
        temporary = Path(handle.name)
        try:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(size)
                digest.update(chunk)
                handle.write(chunk)
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    sha256 = digest.hexdigest()
    path = original_path(sha256)
    if path.exists():
        temporary.unlink(missing_ok=True)
        return sha256, size
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, path)
    path.chmod(0o640)
    return sha256, size


class FileTooLarge(Exception):
    """An upload ran past the size limit while it was being stored."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def original_read(batch: ImportBatch) -> bytes:
    return original_path(batch.file_sha256).read_bytes()


def _result_path(batch_id: int) -> Path:
    return storage_root() / "results" / f"{int(batch_id)}.json"


def result_store(batch: ImportBatch, data: dict[str, Any]) -> None:
    path = _result_path(batch.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def result_load(batch: ImportBatch) -> dict[str, Any]:
    """What validation and writing said about a batch (empty for batches made elsewhere, e.g. demo)."""
    path = _result_path(batch.pk)
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass
class ImportOutcome:
    status: str
    message: str
    spec: KindSpec
    file_name: str
    sha256: str
    validation: Validation | None = None
    batch: ImportBatch | None = None
    duplicate_of: ImportBatch | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sheet: reading.Sheet | None = None  # the data sheet, for an error report of a dry run

    @property
    def ok(self) -> bool:
        return self.status in (APPLIED, DUPLICATE, CHECKED)


class _WriteRejected(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("rows refused while writing")
        self.issues = issues


def _uploader_scope(actor: User) -> dict[str, Any]:
    if actor.role == Role.PARK_OPERATOR and actor.park_id is not None:
        park = Park.objects.only("pk", "district_id").get(pk=actor.park_id)
        return {"park_id": park.pk, "district_id": park.district_id}
    if actor.role == Role.DISTRICT and actor.district_id is not None:
        return {"district_id": actor.district_id}
    return {}


def _duplicate_of(spec: KindSpec, sha256: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(kind=spec.code, file_sha256=sha256, status=ImportBatch.Status.APPLIED)
        .order_by("-created_at")
        .first()
    )


def _result_data(validation: Validation, counts: dict[str, int], message: str) -> dict[str, Any]:
    mapping = validation.mapping
    issues = validation.issues
    return {
        "message": message,
        "counts": counts,
        "encoding": validation.encoding,
        "notes": validation.notes,
        "sheet": mapping.sheet_name if mapping else "",
        "header_row": mapping.header_row if mapping else None,
        "errors_total": validation.errors_total,
        "warnings_total": validation.warnings_total,
        "issues": [issue.as_dict() for issue in issues[:ISSUES_KEPT]],
        "issues_total": issues.total,
    }


def batch_import(
    *,
    actor: User,
    spec: KindSpec,
    file_name: str,
    content: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
    note: str = "",
) -> ImportOutcome:
    """Check, validate and (unless `dry_run`) apply one file. Raises reading.FileRefused for a file
    refused outright (ImportBusy when every import slot stays taken); otherwise the outcome says
    applied, rejected, duplicate or (dry run) checked."""
    with import_slot():
        return _batch_import(
            actor=actor, spec=spec, file_name=file_name, content=content, dry_run=dry_run, progress=progress, note=note
        )


def _batch_import(
    *,
    actor: User,
    spec: KindSpec,
    file_name: str,
    content: bytes,
    dry_run: bool,
    progress: Progress | None,
    note: str,
) -> ImportOutcome:
    name = clean_file_name(file_name)
    if progress:
        progress("读取文件", 0, 1)
    workbook = reading.read_file(name, content, limits())
    sha256 = hashlib.sha256(content).hexdigest()
    duplicate = _duplicate_of(spec, sha256)
    if duplicate is not None:
        when = timezone.localtime(duplicate.created_at).strftime("%Y-%m-%d %H:%M")
        return ImportOutcome(
            DUPLICATE, MSG_DUPLICATE.format(batch=duplicate.pk, when=when), spec, name, sha256, duplicate_of=duplicate
        )
    validation = validate(spec, workbook, actor, progress=progress)
    counts = {
        "rows_total": validation.rows_total,
        "rows_ok": validation.rows_ok,
        "rows_error": validation.rows_error,
        "rows_warning": validation.rows_warning,
    }
    outcome = ImportOutcome(CHECKED, "", spec, name, sha256, validation=validation, counts=counts)
    if validation.mapping is not None:
        outcome.sheet = next(s for s in workbook.sheets if s.name == validation.mapping.sheet_name)
    to_explain = validation.explain_total
    if dry_run:
        if validation.ok and to_explain:
            outcome.message = MSG_CHECKED_EXPLAIN.format(rows=validation.rows_total, count=to_explain)
        elif validation.ok:
            outcome.message = MSG_CHECKED.format(rows=validation.rows_total)
        else:
            outcome.status = CHECK_FAILED
            outcome.message = MSG_CHECK_FAILED.format(errors=validation.errors_total, rows=validation.rows_error)
        return outcome
    original_store(content, sha256)
    base = {
        "kind": spec.code,
        "file_name": name,
        "file_sha256": sha256,
        "uploaded_by": actor if actor.pk else None,
        "note": note[:300],
        **_uploader_scope(actor),
        **counts,
    }
    explained = bool(note.strip()) or not to_explain
    if validation.ok and explained:
        try:
            batch, written = _apply(actor=actor, spec=spec, validation=validation, base=base, progress=progress)
        except _WriteRejected as refused:
            validation.issues.extend(refused.issues)
            validation.issues.trim()
            counts.update(rows_error=validation.rows_error, rows_ok=validation.rows_ok)
            base.update(counts)
        else:
            counts.update(written)
            outcome.status, outcome.batch = APPLIED, batch
            outcome.message = MSG_APPLIED.format(**written)
            result_store(batch, _result_data(validation, counts, outcome.message))
            if progress:
                progress("重算", 0, 1)
            batch_changed_on_commit(batch)
            return outcome
    batch = ImportBatch.objects.create(status=ImportBatch.Status.REJECTED, **base)
    outcome.status, outcome.batch = REJECTED, batch
    if validation.ok:
        # Only soft audit findings, and no explanation: refused until the importer writes one.
        outcome.message = MSG_EXPLAIN_NEEDED.format(count=to_explain, rows=len(validation.explain_rows))
    else:
        outcome.message = MSG_REJECTED.format(errors=validation.errors_total, rows=validation.rows_error)
    result_store(batch, _result_data(validation, counts, outcome.message))
    return outcome


def _apply(
    *, actor: User, spec: KindSpec, validation: Validation, base: dict[str, Any], progress: Progress | None
) -> tuple[ImportBatch, dict[str, int]]:
    """Write every record in one transaction; any failure leaves the database as it was."""
    records = [record for record in validation.records if not record.skip]
    if progress:
        # Before the transaction: a background job's last chance to be cancelled.
        progress("写入", 0, len(records))
    with transaction.atomic():
        batch = ImportBatch.objects.create(status=ImportBatch.Status.VALIDATING, **base)
        writer = WRITERS[spec.code]
        written = writer(actor, batch, records, validation, progress)
        updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALIDATING).update(
            status=ImportBatch.Status.APPLIED, scopes=batch.scopes
        )
        if updated != 1:  # pragma: no cover - the row was created in this transaction
            raise RuntimeError("batch changed while being applied")
        batch.status = ImportBatch.Status.APPLIED
        data_version_bump()  # the rows went in by bulk writes, which send no signals
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            obj=batch,
            after={
                "kind": spec.code,
                "file_name": batch.file_name,
                "sha256": batch.file_sha256,
                "rows": validation.rows_total,
                **written,
            },
            detail=f"导入{spec.label}“{batch.file_name}”：" + MSG_APPLIED.format(**written),
        )
    return batch, written


# ---------------------------------------------------------------- writers per kind

Writer = Callable[[User, ImportBatch, list[Record], Validation, Progress | None], dict[str, int]]


def _write_stats(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    table = STAT_TABLES[batch.kind]
    mapped = set(validation.mapping.columns) if validation.mapping else set()
    fields = [name for name in table.value_fields if name in mapped]

    def rows() -> Iterator[StatRow]:
        # Made as the writer takes them, a chunk at a time: the rows of the whole file are never
        # held beside its records.
        for record in records:
            if batch.kind == ImportBatch.Kind.MONTHLY:
                month = record.values["period"]
                key: tuple[int, Any] = (record.refs["enterprise"].id, month.first_day)
                values: dict[str, Any] = {"months_covered": month.months_covered}
            elif batch.kind == ImportBatch.Kind.ANNUAL:
                key = (record.refs["enterprise"].id, record.values["year"])
                values = {}
            elif batch.kind == ImportBatch.Kind.PRICE_INDEX:
                key = (record.refs["division"], record.values["period"].first_day)
                values = {}
            else:
                key = (record.refs["park"].pk, record.values["year"])
                values = {}
            for name in fields:
                value = record.values.get(name)
                if value is not None:  # an empty cell leaves the stored value alone
                    values[name] = value
            yield StatRow(key, values)

    summary = stats_write(actor=actor, batch=batch, rows=rows(), total=len(records), progress=progress)
    return {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}


FIELD_COLUMNS = {
    "industry": "industry",
    "industry_id": "industry",
    "district": "district",
    "district_id": "district",
    "park": "park",
    "park_id": "park",
    "lon": "lon",
    "lat": "lat",
    "uscc": "uscc",
    "name": "name",
    "address": "address",
    "founded_on": "founded_on",
    "coordinate_system": "coordinate_system",
    "level": "level",
    "kind": "kind",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "certificate_no": "certificate_no",
    "area_mu": "area_mu",
    "use": "use",
    "supply_method": "supply_method",
    "supplied_on": "supplied_on",
    "enterprise": "enterprise_uscc",
    "code": "code",
}


def _issues_from(validation: Validation, record: Record, exc: ValidationError) -> list[Issue]:
    """A service's refusal of one row as issues: a field the registry's services name maps to its
    column through FIELD_COLUMNS, a field named as a column of the kind (an app's own kind) is that
    column, so that every refusal names its header and column letter where it has one."""
    issues: list[Issue] = []
    sheet = validation.mapping.sheet_name if validation.mapping else ""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            key = FIELD_COLUMNS.get(name, name if name in validation.spec.by_key else "")
            header, col = validation.header(key) if key else ("", None)
            issues.extend(Issue(record.row, header, col, message, sheet=sheet) for message in messages)
    else:
        issues.extend(Issue(record.row, "", None, message, sheet=sheet) for message in exc.messages)
    return issues


def _park_locator() -> geo.ParkLocator:
    parks = Park.objects.exclude(boundary__isnull=True).values_list("pk", "boundary")
    return geo.ParkLocator((pk, geo.parse_boundary(boundary)) for pk, boundary in parks)


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# Rows written between two progress reports (the command line's bar; a job's bar waits for the commit).
WRITE_PROGRESS_ROWS = 200


def _write_each(
    records: list[Record], validation: Validation, progress: Progress | None, write_one: Callable[[Record], str]
) -> dict[str, int]:
    """Write the records one by one through the registry services (`write_one` answers created,
    updated or unchanged), gathering every row they refuse; raises _WriteRejected with all of them
    at the end, so that the caller's transaction undoes the rows written before."""
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    refused: list[Issue] = []
    for done, record in enumerate(records, start=1):
        try:
            counts[write_one(record)] += 1
        except ValidationError as exc:
            refused.extend(_issues_from(validation, record, exc))
        if progress and done % WRITE_PROGRESS_ROWS == 0:
            progress("写入", done, len(records))
    if refused:
        raise _WriteRejected(refused)
    return counts


def _write_enterprises(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    locator = _park_locator()
    scopes: set[tuple[int | None, int]] = set()  # (park, district) of every enterprise written
    current = {
        e.pk: e
        for e in Enterprise.objects.filter(pk__in=[r.refs["enterprise"].id for r in records if "enterprise" in r.refs])
    }

    def write_one(record: Record) -> str:
        values = record.values
        fields: dict[str, Any] = {}
        for key in ("name", "address", "founded_on"):
            if values.get(key):
                fields[key] = values[key]
        if values.get("industry"):
            fields["industry_id"] = values["industry"]
        if "district" in record.refs:
            fields["district_id"] = record.refs["district"].pk
        if "park" in record.refs:
            fields["park_id"] = record.refs["park"].pk
            fields["park_assignment"] = Enterprise.ParkAssignment.MANUAL
        if values.get("lon") is not None and values.get("lat") is not None:
            # Converted here so that a re-upload compares like with like.
            lon, lat = geo.to_wgs84(
                float(values["lon"]), float(values["lat"]), values.get("coordinate_system") or "wgs84"
            )
            fields["lon"], fields["lat"] = round(lon, 7), round(lat, 7)
        ref = record.refs.get("enterprise")
        if ref is None:
            created = enterprise_create(actor=actor, locator=locator, uscc=values["uscc"], **fields)
            scopes.add((created.park_id, created.district_id))
            return CREATED
        enterprise = current[ref.id]
        changes = {key: value for key, value in fields.items() if not _same_value(getattr(enterprise, key), value)}
        if "park_id" not in changes:
            # The park the file names is the one it already has: however it got there stays.
            changes.pop("park_assignment", None)
        if not changes:
            return UNCHANGED
        scopes.add((enterprise.park_id, enterprise.district_id))
        updated = enterprise_update(actor=actor, enterprise=enterprise, locator=locator, **changes)
        scopes.add((updated.park_id, updated.district_id))
        return UPDATED

    counts = _write_each(records, validation, progress, write_one)
    # The indicators recompute these scopes alone (an unchanged file touches none).
    batch.scopes = [list(pair) for pair in sorted(scopes, key=lambda pair: (pair[0] or 0, pair[1]))]
    return counts


def _same_value(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) < 1e-7
    return bool(old == new)


def _save_audited(actor: User, obj: Any, before: dict[str, Any], batch: ImportBatch) -> None:
    obj.full_clean()
    obj.save()
    old, new = changed(before, snapshot(obj))
    if old or new:
        audit_record(
            actor=actor, action=AuditLog.Action.UPDATE, obj=obj, before=old, after=new, detail=f"导入批次#{batch.pk}"
        )


def _write_labels(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    ids = sorted({record.refs["enterprise"].id for record in records})
    existing = {
        (label.enterprise_id, label.kind, label.level, label.valid_from): label
        for label in EnterpriseLabel.objects.filter(enterprise_id__in=ids)
    }
    enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=ids)}

    def write_one(record: Record) -> str:
        values = record.values
        enterprise = enterprises[record.refs["enterprise"].id]
        key = (enterprise.pk, values["kind"], values.get("level") or "", values["valid_from"])
        optional = {
            name: values[name] for name in ("certificate_no", "valid_to", "source", "products") if values.get(name)
        }
        label = existing.get(key)
        if label is None:
            enterprise_label_add(
                actor=actor,
                enterprise=enterprise,
                kind=values["kind"],
                level=values.get("level") or "",
                valid_from=values["valid_from"],
                batch_id=batch.pk,
                **optional,
            )
            return CREATED
        if not any(getattr(label, name) != value for name, value in optional.items()):
            return UNCHANGED
        before = snapshot(label)
        for name, value in optional.items():
            setattr(label, name, value)
        label.batch = batch
        _save_audited(actor, label, before, batch)
        return UPDATED

    return _write_each(records, validation, progress, write_one)


def _write_land(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    def write_one(record: Record) -> str:
        values = record.values
        fields: dict[str, Any] = {
            "district_id": record.refs["district"].pk,
            "area_mu": values["area_mu"],
            "use": values["use"],
            "supply_method": values["supply_method"],
        }
        if "park" in record.refs:
            fields["park_id"] = record.refs["park"].pk
        if "enterprise" in record.refs:
            fields["enterprise_id"] = record.refs["enterprise"].id
        if values.get("supplied_on"):
            fields["supplied_on"] = values["supplied_on"]
        parcel_ref = record.refs.get("parcel")
        if parcel_ref is None:
            land_parcel_create(actor=actor, code=values["code"], batch_id=batch.pk, **fields)
            return CREATED
        parcel = LandParcel.objects.select_for_update().get(pk=parcel_ref.pk)
        changes = {key: value for key, value in fields.items() if getattr(parcel, key) != value}
        if not changes:
            return UNCHANGED
        # The same rules as registry.services.land_parcel_create: fields the role owns, places it may write.
        check_fields(actor, LandParcel, changes)
        check_place(actor, district_id=parcel.district_id, park_id=parcel.park_id)
        before = snapshot(parcel)
        for key, value in changes.items():
            setattr(parcel, key, value)
        check_place(actor, district_id=parcel.district_id, park_id=parcel.park_id)
        parcel.batch = batch
        _save_audited(actor, parcel, before, batch)
        return UPDATED

    return _write_each(records, validation, progress, write_one)


WRITERS: dict[str, Writer] = {
    ImportBatch.Kind.MONTHLY: _write_stats,
    ImportBatch.Kind.ANNUAL: _write_stats,
    ImportBatch.Kind.PARK_ANNUAL: _write_stats,
    ImportBatch.Kind.PRICE_INDEX: _write_stats,
    ImportBatch.Kind.ENTERPRISES: _write_enterprises,
    ImportBatch.Kind.LABELS: _write_labels,
    ImportBatch.Kind.LAND: _write_land,
}


def intake_kind_register(
    *,
    spec: KindSpec,
    check: Callable[[Validation, User], None],
    writer: Writer,
    rows: Callable[[Any], Iterator[list[Any]]],
) -> None:
    """Add an import kind that an app above declares (intake imports none of them): its columns
    (`spec`), its row checks after the cell checks (`check`), its `writer` inside the batch's
    transaction, and the stored `rows` a user may see in the template's layout (for the export).
    Called from the app's `AppConfig.ready()`; the kind's code must be an `ImportBatch.Kind`."""
    from yuanqu.intake import kinds, selectors, validation

    if spec.code not in ImportBatch.Kind.values:
        raise ValueError(f"import kind {spec.code!r} is not an ImportBatch.Kind")
    known = kinds.KINDS.get(spec.code)
    if known is not None and known is not spec:
        raise ValueError(f"import kind {spec.code!r} is registered twice")
    kinds.KINDS[spec.code] = spec
    for alias in (spec.code, spec.label, spec.file_stem):
        kinds.KIND_ALIASES[alias] = spec.code
    validation.CHECKS[spec.code] = check
    WRITERS[spec.code] = writer
    selectors.ROW_SOURCES[spec.code] = rows


def batch_rollback(*, actor: User, batch: ImportBatch) -> StatRollbackSummary:
    """Undo a statistics batch the actor may see and write: see yuanqu.stats.services.stats_rollback."""
    from yuanqu.intake.selectors import batch_list

    if not can_upload(actor):
        raise WriteDenied(ERR_NO_ROLLBACK_RIGHT, code="no_write")
    if not batch_list(actor).filter(pk=batch.pk).exists():
        raise ValidationError(ERR_NOT_VISIBLE, code="not_visible")
    if batch.kind not in STAT_TABLES:
        raise ValidationError(ERR_ROLLBACK_KIND.format(kind=batch.get_kind_display()), code="kind")
    with transaction.atomic():
        summary = stats_rollback(actor=actor, batch=batch)
        data_version_bump()
        # Announced once the rows are back: the indicator cells that recorded the batch in their
        # lineage are aggregated again.
        batch_changed_on_commit(batch)
    return summary


def outcome_report(outcome: ImportOutcome) -> bytes:
    """The error report of an outcome still in memory (a dry run, or the command line)."""
    validation = outcome.validation
    rows = None
    if outcome.sheet is not None:
        try:
            rows = outcome.sheet.rows
        except reading.FileRefused:  # beyond the value-cell cap: the report lists the problems alone
            rows = None
    return error_report_bytes(
        batch=outcome.batch,
        spec=outcome.spec,
        file_name=outcome.file_name,
        issues=validation.issues if validation else [],
        rows=rows,
        header_row=validation.mapping.header_row if validation and validation.mapping else None,
        counts=outcome.counts,
        message=outcome.message,
        issues_total=validation.issues.total if validation else None,
    )


def batch_report(*, actor: User, batch: ImportBatch) -> bytes:
    """The error report of a stored batch, rebuilt from its original file and kept problems.
    Audited as an export: it holds the uploaded rows."""
    from yuanqu.intake.kinds import KINDS

    spec = KINDS[batch.kind]
    result = result_load(batch)
    issues = [Issue.from_dict(item) for item in result.get("issues", [])]
    rows = None
    header_row = result.get("header_row")
    if result.get("sheet") and original_path(batch.file_sha256).exists():
        try:
            with import_slot():
                workbook = reading.read_file(batch.file_name, original_read(batch), limits())
                rows = next((s.rows for s in workbook.sheets if s.name == result["sheet"]), None)
        except reading.FileRefused:
            rows = None
    content = error_report_bytes(
        batch=batch,
        spec=spec,
        file_name=batch.file_name,
        issues=issues,
        rows=rows,
        header_row=header_row,
        counts=result.get("counts", {}),
        message=result.get("message", ""),
        issues_total=result.get("issues_total"),
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.EXPORT,
        obj=batch,
        after={"issues": len(issues)},
        detail=f"下载批次#{batch.pk}的校验报告",
    )
    return content


def kind_export(*, actor: User, spec: KindSpec) -> bytes:
    """The stored data of a kind within the actor's scope, in the kind's template layout; audited."""
    from yuanqu.intake.selectors import template_rows
    from yuanqu.intake.workbooks import data_bytes

    content, count = data_bytes(spec, template_rows(actor, spec.code))
    audit_record(
        actor=actor,
        action=AuditLog.Action.EXPORT,
        object_type="stats.ImportBatch",
        object_repr=f"{spec.label}（模板格式）",
        after={"rows": count, "kind": spec.code},
        detail=f"按导入模板格式导出{spec.label}",
    )
    return content


def system_actor(name: str = "") -> User:
    """The actor of command-line imports: a city-wide system account that is never saved, so the
    audit log shows the operator's login name and no platform account can be borrowed."""
    login = name or os.environ.get("USER") or "cli"
    return User(username=f"命令行:{login}"[:150], role=Role.SYSADMIN, is_superuser=True, is_active=True)

"""The one write path of the statistics tables (MonthlyStat, AnnualStat, ParkAnnualStat, PriceIndex).

`stats_write` applies the rows of one import batch: a key (enterprise or park, period) not yet
stored is created; a stored one gets the new values of the measures the batch carries, and its old
values go to a `StatRevision` (who replaced them is the batch, which names its uploader and time);
a row whose values are all the same is left alone. `stats_rollback` undoes a batch: rows it created
are deleted, rows it replaced get their old values and old batch back. Both are atomic: a failure
half-way leaves the tables as they were.

Callers: the intake pipeline (yuanqu.intake.services), the benchmark, tests."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from yuanqu.core.among import among
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.readcache import data_version_bump
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, FLOW_MEASURES, PARK_MEASURES
from yuanqu.stats.models import (
    AnnualStat,
    ImportBatch,
    ImportSlot,
    MonthlyStat,
    ParkAnnualStat,
    PriceIndex,
    StatRevision,
)

ERR_NOT_STATS = "批次类别“{kind}”不是统计数据，不能按统计数据写入或回滚"
ERR_NOT_APPLIED = "只有“已写入”状态的批次可以回滚，批次#{batch}当前为“{status}”"
ERR_SUPERSEDED = "批次#{batch}写入的数据已被之后的批次{later}修改，请先回滚这些批次"
ERR_DUPLICATE_KEY = "同一批次中记录“{key}”出现了不止一次"
ERR_UNKNOWN_FIELD = "“{table}”没有字段：{fields}"

# Rows per INSERT/UPDATE statement; Django lowers it further where SQLite's variable limit needs it.
WRITE_CHUNK = 2000
LOOKUP_CHUNK = 2000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class StatTable:
    """How one statistics table is keyed and which of its columns a batch may write."""

    kind: str
    model: type[models.Model]
    key_fields: tuple[str, str]
    value_fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(self.model._meta.label_lower)

    def row_key(self, key: tuple[Any, Any]) -> str:
        owner, period = key
        return f"{owner}:{period.isoformat() if isinstance(period, dt.date) else period}"

    def parse_row_key(self, text: str) -> tuple[Any, Any]:
        owner, period = text.split(":", 1)
        # An owner keyed by code (a price index's industry division, "C39") stays text.
        key: Any = int(owner) if owner.isdigit() else owner
        if self.key_fields[1] == "period":
            return key, dt.date.fromisoformat(period)
        return key, int(period)


MONTHLY_FIELDS = (
    "months_covered",
    *(f"{m.code}_{part}" for m in FLOW_MEASURES for part in ("month", "ytd")),
    "employees",
)
ANNUAL_FIELDS = tuple(m.code for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES))
PARK_FIELDS = tuple(m.code for m in PARK_MEASURES)
PRICE_INDEX_FIELDS = ("month_index", "ytd_index", "source")

STAT_TABLES: dict[str, StatTable] = {
    ImportBatch.Kind.MONTHLY: StatTable(
        ImportBatch.Kind.MONTHLY, MonthlyStat, ("enterprise_id", "period"), MONTHLY_FIELDS
    ),
    ImportBatch.Kind.ANNUAL: StatTable(ImportBatch.Kind.ANNUAL, AnnualStat, ("enterprise_id", "year"), ANNUAL_FIELDS),
    ImportBatch.Kind.PARK_ANNUAL: StatTable(
        ImportBatch.Kind.PARK_ANNUAL, ParkAnnualStat, ("park_id", "year"), PARK_FIELDS
    ),
    ImportBatch.Kind.PRICE_INDEX: StatTable(
        ImportBatch.Kind.PRICE_INDEX, PriceIndex, ("division_id", "period"), PRICE_INDEX_FIELDS
    ),
}


def stat_table_register(table: StatTable) -> None:
    """Add a statistics table that an app above keeps (yuanqu.energy's energy data), so that its
    import batches are written with revisions and rolled back like the tables here."""
    known = STAT_TABLES.get(table.kind)
    if known is not None and known != table:
        raise ValueError(f"statistics table of kind {table.kind!r} is registered twice")
    STAT_TABLES[table.kind] = table


def stat_table(kind: str) -> StatTable:
    try:
        return STAT_TABLES[kind]
    except KeyError:
        raise ValidationError(ERR_NOT_STATS.format(kind=kind), code="not_stats") from None


@dataclass(frozen=True)
class StatRow:
    """One row to write: its key (owner id, period) and the values of the columns the file carried."""

    key: tuple[Any, Any]
    values: dict[str, Any]


@dataclass
class StatWriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions: int = 0


@dataclass
class StatRollbackSummary:
    deleted: int = 0
    restored: int = 0
    later_batches: list[int] = field(default_factory=list)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is new
    return bool(old == new)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _chunks_of(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`items` (a sequence or a stream) in lists of `size`, the last one shorter."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _existing(table: StatTable, keys: Sequence[tuple[Any, Any]]) -> dict[tuple[Any, Any], tuple[Any, ...]]:
    """The stored rows for the keys, as tuples: pk, batch_id, then the value columns in the order of
    `table.value_fields` (the ORM's converters applied, so the values are those a model would hold)."""
    owner_field, period_field = table.key_fields
    wanted = set(keys)
    periods = sorted({key[1] for key in keys})
    owners = sorted({key[0] for key in keys})
    found: dict[tuple[Any, Any], tuple[Any, ...]] = {}
    for chunk in _chunks(owners, LOOKUP_CHUNK):
        query = table.model._default_manager.filter(  # type: ignore[attr-defined]
            among(owner_field, chunk), among(period_field, periods)
        ).values_list(owner_field, period_field, "pk", "batch_id", *table.value_fields)
        for row in query:
            key = (row[0], row[1])
            if key in wanted:
                found[key] = row[2:]
    return found


@transaction.atomic
def stats_write(
    *,
    actor: User | None,
    batch: ImportBatch,
    rows: Iterable[StatRow],
    total: int | None = None,
    progress: Progress | None = None,
) -> StatWriteSummary:
    """Write the rows of `batch` into its table, keeping every replaced value as a revision. The rows
    may come as a stream (`total` says how many, for the progress): they are taken a chunk at a time,
    and a refusal in a later chunk undoes the chunks written before (one transaction)."""
    table = stat_table(batch.kind)
    allowed = set(table.value_fields)
    seen: set[tuple[Any, Any]] = set()
    summary = StatWriteSummary()
    if total is None:
        total = len(rows) if isinstance(rows, Sized) else 0
    done = 0
    # A chunk of rows at a time: its stored rows looked up, compared and written before the next
    # chunk is read, so an import that replaces every row never holds more than a chunk's old rows.
    for chunk in _chunks_of(rows, WRITE_CHUNK):
        for row in chunk:
            if row.key in seen:
                raise ValidationError(ERR_DUPLICATE_KEY.format(key=table.row_key(row.key)), code="duplicate")
            seen.add(row.key)
            unknown = set(row.values) - allowed
            if unknown:
                raise ValidationError(ERR_UNKNOWN_FIELD.format(table=table.label, fields="、".join(sorted(unknown))))
        _write_chunk(table, batch, chunk, summary)
        done += len(chunk)
        if progress:
            progress("写入", done, max(total, done))
    if summary.created or summary.updated:
        data_version_bump()  # bulk writes and raw deletes send no signals
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=batch,
        after={"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged},
        detail=f"批次#{batch.pk}写入{table.model._meta.verbose_name}：新增{summary.created}条，"
        f"修改{summary.updated}条（原值存为修订），未变{summary.unchanged}条",
    )
    return summary


def _write_chunk(table: StatTable, batch: ImportBatch, rows: Sequence[StatRow], summary: StatWriteSummary) -> None:
    """Write one chunk of rows (keys unique): create the new keys, replace the changed ones (their
    old values kept as revisions), leave the same ones alone; counted into `summary`."""
    existing = _existing(table, [row.key for row in rows])
    # Where each value column sits in a stored row's tuple (after pk and batch_id).
    position = {name: index for index, name in enumerate(table.value_fields, start=2)}
    fresh_keys: list[tuple[Any, Any]] = []
    fresh: list[dict[str, Any]] = []
    replaced_pks: list[int] = []
    revisions: list[tuple[str, str, int]] = []  # row key, old values as JSON, old batch
    for row in rows:
        stored = existing.pop(row.key, None)
        values = row.values
        if stored is not None:
            if all(_same(stored[position[name]], value) for name, value in values.items()):
                summary.unchanged += 1
                continue
            old = dict(zip(table.value_fields, stored[2:], strict=True))
            # The JSON the JSONField would write: json.dumps of the values made JSON-able (most are
            # Decimals, written as their text).
            old_json = json.dumps(
                {name: str(value) if type(value) is Decimal else _json_value(value) for name, value in old.items()}
            )
            revisions.append((table.row_key(row.key), old_json, stored[1]))
            replaced_pks.append(stored[0])
            values = old | values
            summary.updated += 1
        else:
            summary.created += 1
        fresh_keys.append(row.key)
        fresh.append(values)
    # A replaced row is deleted and inserted again with the merged values: nothing refers to these
    # rows by id, and one INSERT is far cheaper than Django's bulk_update (a CASE per column). The
    # DELETE is one statement: Django's delete() would first load every row to send its signals.
    manager = table.model._default_manager  # type: ignore[attr-defined]
    if replaced_pks:
        manager.filter(among("pk", replaced_pks))._raw_delete(manager.db)
    _insert(table, batch, fresh_keys, fresh)
    _insert_revisions(table, batch, revisions)
    summary.revisions += len(revisions)


def _insert_revisions(table: StatTable, batch: ImportBatch, revisions: Sequence[tuple[str, str, int]]) -> None:
    """Insert the chunk's revisions (row key, old values as JSON text, old batch) in one bulk write:
    the rows StatRevision.objects.bulk_create would write, without a model instance per revision."""
    if not revisions:
        return
    now = _prepared(StatRevision, "replaced_at", timezone.now())
    columns = ("table", "row_key", "old_values", "old_batch_id", "replaced_by_id", "replaced_at")
    _bulk_insert(
        StatRevision,
        columns,
        [(table.label, row_key, old_json, old_batch, batch.pk, now) for row_key, old_json, old_batch in revisions],
    )


def _prepared(model: type[models.Model], attname: str, value: Any) -> Any:
    """`value` as the field `attname` of `model` would hand it to the database."""
    column = next(field for field in model._meta.concrete_fields if field.attname == attname)
    return column.get_db_prep_save(value, connection=connection)


def _bulk_insert(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of prepared values into the columns `attnames` of `model`'s table. PostgreSQL:
    one COPY (a multi-row stream the backend parses once, where `executemany` of a one-row INSERT is
    a statement per row for it); SQLite, which works in this process: one prepared INSERT run over
    the rows. A JSON column takes its JSON as text (COPY parses it into jsonb as an INSERT would)."""
    if not rows:
        return
    meta = model._meta
    fields = {field.attname: field for field in meta.concrete_fields}
    ops = connection.ops
    # Identifiers from the model, quoted by the backend; every value is data, never SQL.
    table_name = ops.quote_name(meta.db_table)
    names = ", ".join(ops.quote_name(fields[attname].column) for attname in attnames)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3's own cursor under Django's wrapper
            with raw.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(attnames))
            cursor.executemany(f"INSERT INTO {table_name} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def _insert(
    table: StatTable, batch: ImportBatch, keys: Sequence[tuple[Any, Any]], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert rows of `table` (key and values each) for `batch` in one bulk write (`_bulk_insert`),
    as bulk_create would write them but without a model instance per row and Django's preparation
    of each value: a column's values are prepared by its field only where the database
    needs it (dates on SQLite, any value not already a Decimal in a decimal column); the columns the
    rows leave out take their defaults, `auto_now` columns the time of the write."""
    if not rows:
        return
    model = table.model
    meta = model._meta  # type: ignore[attr-defined]
    ops = connection.ops
    owner_field, period_field = table.key_fields
    plain_decimals = type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value
    now = timezone.now()
    names: list[str] = []
    # Per column: where its value comes from (the key's owner or period, the batch, a row's values,
    # or a constant) and how it is prepared (None: passed as it is).
    sources: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
    for column in meta.concrete_fields:
        if column.primary_key and isinstance(column, models.AutoField | models.BigAutoField):
            continue
        names.append(column.attname)
        prepare = cast("Callable[[Any], Any]", partial(column.get_db_prep_save, connection=connection))
        if column.attname == owner_field:
            sources.append(("owner", None, _memo(prepare)))
        elif column.attname == period_field:
            sources.append(("period", None, _memo(prepare)))
        elif column.attname == "batch_id":
            sources.append(("constant", prepare(batch.pk), None))
        elif getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            sources.append(("constant", prepare(now), None))
        elif column.attname in table.value_fields:
            decimal = isinstance(column, models.DecimalField) and plain_decimals
            sources.append(("value", column.attname, _decimal_or(prepare) if decimal else _memo(prepare)))
        else:
            sources.append(("constant", prepare(column.get_default()), None))
    defaults = {name: cast("models.Field[Any, Any]", meta.get_field(name)).get_default() for name in table.value_fields}
    params: list[list[Any]] = []
    for (owner, period), values in zip(keys, rows, strict=True):
        line: list[Any] = []
        for where, what, prepared in sources:
            if where == "value":
                value = values[what] if what in values else defaults[what]
            elif where == "owner":
                value = owner
            elif where == "period":
                value = period
            else:
                line.append(what)
                continue
            line.append(prepared(value) if prepared is not None else value)
        params.append(line)
    _bulk_insert(model, names, params)


def _memo(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A column's preparation done once per distinct value of a chunk (a firm's id in each of its
    months, the period of every row, a head count): the field prepares a value the same way each
    time. Keyed by type and value, so 1, 1.0 and True stay apart."""
    memo: dict[tuple[type, Any], Any] = {}

    def prepared(value: Any) -> Any:
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = answer = prepare(value)
            return answer
        except TypeError:  # unhashable (a JSON value): prepared each time
            return prepare(value)

    return prepared


def _decimal_or(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A decimal column's preparation where the database takes a Decimal as it is: None and Decimals
    pass untouched, anything else goes through the field."""

    def prepared(value: Any) -> Any:
        return value if value is None or type(value) is Decimal else prepare(value)

    return prepared


def later_batches(batch: ImportBatch) -> list[int]:
    """Applied batches that replaced values this batch wrote; they must be rolled back first."""
    return sorted(
        set(
            StatRevision.objects.filter(old_batch=batch, replaced_by__status=ImportBatch.Status.APPLIED)
            .exclude(replaced_by=batch)
            .values_list("replaced_by_id", flat=True)
        )
    )


@transaction.atomic
def stats_rollback(*, actor: User | None, batch: ImportBatch) -> StatRollbackSummary:
    """Undo a statistics batch: delete the rows it created, restore the rows it replaced."""
    table = stat_table(batch.kind)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ValidationError(
            ERR_NOT_APPLIED.format(batch=batch.pk, status=batch.get_status_display()), code="not_applied"
        )
    blocking = later_batches(batch)
    if blocking:
        raise ValidationError(
            ERR_SUPERSEDED.format(batch=batch.pk, later="、".join(f"#{pk}" for pk in blocking)), code="superseded"
        )
    owner_field, period_field = table.key_fields
    revisions = list(StatRevision.objects.filter(replaced_by=batch, table=table.label).order_by("id"))
    restored_keys = {table.parse_row_key(revision.row_key): revision for revision in revisions}
    fields = {name: cast("models.Field[Any, Any]", table.model._meta.get_field(name)) for name in table.value_fields}
    current = table.model._default_manager.filter(batch=batch)  # type: ignore[attr-defined]
    written = list(current.values_list("pk", owner_field, period_field))
    restored: list[models.Model] = []
    for _pk, owner, period in written:
        revision = restored_keys.get((owner, period))
        if revision is None:
            continue  # created by this batch: deleted below, like the rows it replaced
        values = {name: fields[name].to_python(revision.old_values.get(name)) for name in table.value_fields}
        restored.append(
            table.model(  # type: ignore[call-arg]
                **{owner_field: owner, period_field: period}, batch_id=revision.old_batch_id, **values
            )
        )
    pks = [pk for pk, _, _ in written]
    for chunk in _chunks(pks, WRITE_CHUNK):
        table.model._default_manager.filter(pk__in=chunk).delete()  # type: ignore[attr-defined]
    for chunk in _chunks(restored, WRITE_CHUNK):
        table.model._default_manager.bulk_create(chunk)  # type: ignore[attr-defined]
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLIED).update(
        status=ImportBatch.Status.ROLLED_BACK
    )
    if updated != 1:  # pragma: no cover - the row is locked above
        raise ValidationError(ERR_NOT_APPLIED.format(batch=batch.pk, status=batch.get_status_display()))
    summary = StatRollbackSummary(deleted=len(written) - len(restored), restored=len(restored))
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=batch,
        before={"status": ImportBatch.Status.APPLIED},
        after={"status": ImportBatch.Status.ROLLED_BACK, "deleted": summary.deleted, "restored": summary.restored},
        detail=f"回滚批次#{batch.pk}：删除其新增的{summary.deleted}条，恢复其替换的{summary.restored}条",
    )
    return summary


# ---------------------------------------------------------------- import slots


def import_slot_claim(*, holder: str, slots: int, stale_seconds: int) -> int | None:
    """Claim a free slot for an import running now, for every process and host sharing the database;
    a slot held for longer than `stale_seconds` (its holder died) counts as free. Returns the slot's
    number, or None when all `slots` are taken. Race-free: a conditional UPDATE, checked by its count."""
    ImportSlot.objects.bulk_create([ImportSlot(number=n) for n in range(1, slots + 1)], ignore_conflicts=True)
    now = timezone.now()
    free = models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - dt.timedelta(seconds=stale_seconds))
    for number in range(1, slots + 1):
        if ImportSlot.objects.filter(free, number=number).update(holder=holder, claimed_at=now) == 1:
            return number
    return None


def import_slot_release(*, number: int, holder: str) -> None:
    """Free a slot; one taken over by another holder since (after a stale claim) is left alone."""
    ImportSlot.objects.filter(number=number, holder=holder).update(holder="", claimed_at=None)


def import_slots_held(*, prefix: str) -> list[tuple[int, str]]:
    """The slots (number, holder) whose holder starts with `prefix`."""
    held = ImportSlot.objects.filter(holder__startswith=prefix).exclude(holder="")
    return list(held.values_list("number", "holder"))

"""The carbon account's writes: the full recompute (`carbon_recompute_all`, the job and `yuanqu
energy-recompute`) and the incremental one after an import batch (`carbon_recompute_for_batch`,
connected to `yuanqu.stats.signals.batch_changed`). Both build the same rows from the same raw data,
so the incremental recompute equals a full one cell by cell (a test holds them to it).

A firm's account of a month is its EnergyMonthly row; of a year its EnergyAnnual row, or else the sum
of its months of that year. Value added (for the intensities) comes from the statistics tables: the
month's 本月 of the monthly report, the year's annual data. A park's, district's and the city's
account is the sum of their firms' accounts of the same period, so their lineage is those rows.

The batches a firm's account was built from are kept with it (`batch_ids`): a rolled-back batch
finds the accounts it fed even after its rows are gone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.readcache import data_version_bump
from yuanqu.energy import accounting
from yuanqu.energy import figures as catalogue_figures
from yuanqu.energy.measures import ENERGY_FIELDS
from yuanqu.energy.models import CarbonAccount, EnergyAnnual, EnergyMonthly
from yuanqu.energy.pack import EnergyConfig
from yuanqu.energy.rules import config as installed_config
from yuanqu.registry.models import Enterprise, EnterpriseVersion, Park
from yuanqu.registry.selectors import memberships_in
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat

Level = CarbonAccount.Level
Frequency = CarbonAccount.Frequency
# (enterprise id, year, month); month 0 is the year.
FirmKey = tuple[int, int, int]
# (year, month) of a period, month 0 for the year.
PeriodKey = tuple[int, int]
# Where a firm's account is counted: (park or None, district).
Place = tuple[int | None, int | None]
SUM_FIELDS = accounting.SUM_FIELDS
# Batches whose rows feed the accounts: energy data, the statistics that carry value added, and the
# enterprise register, which places each firm in its park and district.
FEEDING_KINDS = (
    ImportBatch.Kind.ENTERPRISES,
    ImportBatch.Kind.ENERGY_MONTHLY,
    ImportBatch.Kind.ENERGY_ANNUAL,
    ImportBatch.Kind.MONTHLY,
    ImportBatch.Kind.ANNUAL,
)


@dataclass
class RecomputeSummary:
    firms: int = 0
    periods: int = 0
    rows: int = 0


def _month_of(period: dt.date) -> PeriodKey:
    return period.year, period.month


def _firm_data(
    keys: Iterable[FirmKey], *, everything: bool = False
) -> dict[FirmKey, tuple[dict[str, Decimal | None], set[int]]]:
    """The carriers of each key that has data, with the batches they came from (`everything`: the
    keys are every stored one, so no list of firms narrows the reads)."""
    wanted = set(keys)
    firms = sorted({key[0] for key in wanted})
    years = sorted({key[1] for key in wanted})
    found: dict[FirmKey, tuple[dict[str, Decimal | None], set[int]]] = {}
    months: dict[tuple[int, int], list[tuple[dict[str, Any], int]]] = defaultdict(list)
    monthly = EnergyMonthly.objects.filter(period__year__in=years)
    if not everything:
        monthly = monthly.filter(enterprise_id__in=firms)
    for row in monthly.values("enterprise_id", "period", "batch_id", *ENERGY_FIELDS):
        year, month = _month_of(row["period"])
        months[(row["enterprise_id"], year)].append((row, row["batch_id"]))
        key = (row["enterprise_id"], year, month)
        if key in wanted:
            found[key] = ({name: row[name] for name in ENERGY_FIELDS}, {row["batch_id"]})
    annual = EnergyAnnual.objects.filter(year__in=years)
    if not everything:
        annual = annual.filter(enterprise_id__in=firms)
    yearly = {
        (row["enterprise_id"], row["year"]): row
        for row in annual.values("enterprise_id", "year", "batch_id", *ENERGY_FIELDS)
    }
    for key in wanted:
        firm, year, month = key
        if month != 0:
            continue
        row = yearly.get((firm, year))
        if row is not None:
            found[key] = ({name: row[name] for name in ENERGY_FIELDS}, {row["batch_id"]})
        elif months.get((firm, year)):
            sums: dict[str, Decimal | None] = {}
            for name in ENERGY_FIELDS:
                present = [item[name] for item, _ in months[(firm, year)] if item[name] is not None]
                sums[name] = sum(present, Decimal(0)) if present else None
            found[key] = (sums, {batch for _, batch in months[(firm, year)]})
    return found


def _value_added(keys: Iterable[FirmKey], *, everything: bool = False) -> dict[FirmKey, tuple[Decimal, int]]:
    wanted = set(keys)
    firms = sorted({key[0] for key in wanted})
    years = sorted({key[1] for key in wanted})
    found: dict[FirmKey, tuple[Decimal, int]] = {}
    annual = AnnualStat.objects.filter(year__in=years, value_added__isnull=False)
    monthly = MonthlyStat.objects.filter(period__year__in=years, value_added_month__isnull=False)
    if not everything:
        annual, monthly = annual.filter(enterprise_id__in=firms), monthly.filter(enterprise_id__in=firms)
    for firm, year, value, batch in annual.values_list("enterprise_id", "year", "value_added", "batch_id"):
        if (firm, year, 0) in wanted and value is not None:
            found[(firm, year, 0)] = (value, batch)
    for firm, period, value, batch in monthly.values_list("enterprise_id", "period", "value_added_month", "batch_id"):
        key = (firm, period.year, period.month)
        if key in wanted and value is not None:
            found[key] = (value, batch)
    return found


def period_end(year: int, month: int) -> dt.date:
    """The day whose registry state places a period's account (时点口径): the last day of the month,
    or of the year (month 0)."""
    if month == 0:
        return dt.date(year, 12, 31)
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _places(keys: Iterable[FirmKey], *, everything: bool = False) -> dict[FirmKey, Place]:
    """Where each firm was at the end of each period: the version of its dated history in force that
    day (`registry.selectors.memberships_in`), its own fields for a firm without history. A firm
    that moved park in June is counted in its old park's months to May and its new park's from June
    and in the year."""
    ends = {key: period_end(key[1], key[2]) for key in set(keys)}
    if not ends:
        return {}
    firms = {key[0] for key in ends}
    current = Enterprise.objects.all() if everything else Enterprise.objects.filter(pk__in=firms)
    own: dict[int, Place] = {
        pk: (park, district) for pk, park, district in current.values_list("pk", "park_id", "district_id")
    }
    versions = memberships_in(min(ends.values()), max(ends.values()))
    if not everything:
        versions = versions.filter(enterprise_id__in=firms)
    history: dict[int, list[tuple[dt.date | None, dt.date | None, Place]]] = defaultdict(list)
    for firm, start, end, park, district in versions.values_list(
        "enterprise_id", "valid_from", "valid_to", "park_id", "district_id"
    ):
        history[firm].append((start, end, (park, district)))
    found: dict[FirmKey, Place] = {}
    for key, day in ends.items():
        found[key] = next(
            (
                place
                for start, end, place in history.get(key[0], ())
                if (start is None or start <= day) and (end is None or day <= end)
            ),
            own.get(key[0], (None, None)),
        )
    return found


def _firm_rows(keys: set[FirmKey], settings: EnergyConfig, *, everything: bool) -> list[CarbonAccount]:
    data = _firm_data(keys, everything=everything)
    added = _value_added(data, everything=everything)
    places = _places(data, everything=everything)
    rows: list[CarbonAccount] = []
    for key in sorted(data):
        firm, year, month = key
        amounts, batches = data[key]
        result = accounting.account(amounts, year=year, config=settings)
        value_added = added.get(key)
        if value_added is not None:
            batches = batches | {value_added[1]}
        rows.append(
            CarbonAccount(
                level=Level.ENTERPRISE,
                frequency=Frequency.YEAR if month == 0 else Frequency.MONTH,
                year=year,
                month=month,
                enterprise_id=firm,
                park_id=places[key][0],
                district_id=places[key][1],
                firms=1,
                value_added=value_added[0] if value_added else None,
                by_fuel=result.by_fuel,
                method=result.method,
                batch_ids=sorted(batches),
                **{name: getattr(result, name) for name in SUM_FIELDS},
            )
        )
    return rows


def _aggregate(
    periods: set[PeriodKey], settings: EnergyConfig, built: Sequence[CarbonAccount] | None = None
) -> list[CarbonAccount]:
    """The park, district and city accounts of the periods, summed from the firm accounts: those
    stored, or `built` when they are every firm account there is (a full recompute has just made
    them, and reading them back would parse each one's JSON again)."""
    given: dict[PeriodKey, list[CarbonAccount]] = defaultdict(list)
    for account in built or ():
        given[(account.year, account.month)].append(account)
    rows: list[CarbonAccount] = []
    for year, month in sorted(periods):
        firms = (
            given[(year, month)]
            if built is not None
            else list(CarbonAccount.objects.filter(level=Level.ENTERPRISE, year=year, month=month))
        )
        if not firms:
            continue
        groups: dict[tuple[str, int | None], list[CarbonAccount]] = defaultdict(list)
        for firm in firms:
            groups[(Level.CITY, None)].append(firm)
            if firm.district_id is not None:
                groups[(Level.DISTRICT, firm.district_id)].append(firm)
            if firm.park_id is not None:
                groups[(Level.PARK, firm.park_id)].append(firm)
        park_ids = [owner for level, owner in groups if level == Level.PARK]
        park_districts = dict(Park.objects.filter(pk__in=park_ids).values_list("pk", "district_id"))
        method = accounting.method_of(settings, year)
        for (level, owner), members in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
            added = [m.value_added for m in members]
            # An intensity needs every firm's value added: a park with a firm missing it has none.
            value_added = sum((a for a in added if a is not None), Decimal(0)) if None not in added else None
            district_id = owner if level == Level.DISTRICT else None
            if level == Level.PARK and owner is not None:
                district_id = park_districts.get(owner)
            row = CarbonAccount(
                level=level,
                frequency=Frequency.YEAR if month == 0 else Frequency.MONTH,
                year=year,
                month=month,
                park_id=owner if level == Level.PARK else None,
                district_id=district_id,
                firms=len(members),
                value_added=value_added,
                method=method,
                batch_ids=[],
            )
            for name in SUM_FIELDS:
                setattr(row, name, sum((getattr(m, name) for m in members), Decimal(0)))
            row.by_fuel = accounting.sum_by_fuel(member.by_fuel for member in members)
            rows.append(row)
    return rows


def _replace(
    firm_keys: set[FirmKey], periods: set[PeriodKey], settings: EnergyConfig, *, everything: bool = False
) -> RecomputeSummary:
    """Rebuild the firm accounts of the keys, then every aggregate account of the periods
    (`everything`: the keys are all there are, and the table was emptied before)."""
    fresh = _firm_rows(firm_keys, settings, everything=everything)
    by_period: dict[PeriodKey, list[int]] = defaultdict(list)
    for firm, year, month in firm_keys:
        if not everything:
            by_period[(year, month)].append(firm)
    for (year, month), firms in by_period.items():
        CarbonAccount.objects.filter(level=Level.ENTERPRISE, year=year, month=month, enterprise_id__in=firms).delete()
    CarbonAccount.objects.bulk_create(fresh, batch_size=2000)
    for year, month in periods if not everything else ():
        CarbonAccount.objects.filter(year=year, month=month).exclude(level=Level.ENTERPRISE).delete()
    aggregates = _aggregate(periods, settings, fresh if everything else None)
    CarbonAccount.objects.bulk_create(aggregates, batch_size=2000)
    # The accounts are written and deleted in bulk, without signals (readcache.BULK_MODELS): the
    # pages that show them are made stale here.
    data_version_bump()
    return RecomputeSummary(
        firms=len({key[0] for key in firm_keys}), periods=len(periods), rows=len(fresh) + len(aggregates)
    )


def _all_keys() -> set[FirmKey]:
    keys: set[FirmKey] = set()
    for firm, period in EnergyMonthly.objects.values_list("enterprise_id", "period"):
        keys.add((firm, period.year, period.month))
        keys.add((firm, period.year, 0))
    for firm, year in EnergyAnnual.objects.values_list("enterprise_id", "year"):
        keys.add((firm, year, 0))
    return keys


@transaction.atomic
def carbon_recompute_all(*, actor: User | None = None, settings: EnergyConfig | None = None) -> RecomputeSummary:
    """Rebuild every carbon account from the energy data with the pack's factors; audited."""
    settings = settings or installed_config()
    CarbonAccount.objects.all().delete()
    keys = _all_keys()
    summary = _replace(keys, {(year, month) for _, year, month in keys}, settings, everything=True)
    catalogue_figures.refresh()
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        object_type="energy.CarbonAccount",
        object_repr="碳账户",
        after={"firms": summary.firms, "periods": summary.periods, "rows": summary.rows},
        detail=f"碳账户全量重算：{summary.firms}家企业，{summary.periods}个统计期，{summary.rows}条",
    )
    return summary


def _keys_of_batch(batch: ImportBatch) -> set[FirmKey]:
    keys: set[FirmKey] = set()
    if batch.kind == ImportBatch.Kind.ENERGY_MONTHLY:
        rows: Iterable[tuple[int, dt.date]] = EnergyMonthly.objects.filter(batch=batch).values_list(
            "enterprise_id", "period"
        )
    elif batch.kind == ImportBatch.Kind.MONTHLY:
        rows = MonthlyStat.objects.filter(batch=batch).values_list("enterprise_id", "period")
    else:
        rows = ()
    for firm, period in rows:
        keys.update({(firm, period.year, period.month), (firm, period.year, 0)})
    if batch.kind == ImportBatch.Kind.ENERGY_ANNUAL:
        keys.update(
            (firm, year, 0)
            for firm, year in EnergyAnnual.objects.filter(batch=batch).values_list("enterprise_id", "year")
        )
    elif batch.kind == ImportBatch.Kind.ANNUAL:
        keys.update(
            (firm, year, 0)
            for firm, year in AnnualStat.objects.filter(batch=batch).values_list("enterprise_id", "year")
        )
    # The accounts the batch fed before (its rows may be gone: a rollback), and for a month the year.
    for firm, year, month, batch_ids in CarbonAccount.objects.filter(level=Level.ENTERPRISE).values_list(
        "enterprise_id", "year", "month", "batch_ids"
    ):
        if batch.pk in batch_ids:
            keys.update({(firm, year, month), (firm, year, 0)})
    return keys | _moved_keys()


def moved_firms_exist() -> bool:
    """Whether some firm's account places it in a park or district other than where the registry
    had it at the end of the period."""
    return bool(_moved_keys())


def _moved_keys() -> set[FirmKey]:
    """The accounts of every firm that is not where the registry had it at the end of the period (a
    move through the enterprise register, by import, by hand or with a date in its history): rebuilt
    in their place, and with them the sums of the old park and district and of the new ones, as a
    full recompute would. A firm without dated history is compared with its own fields in the
    database; a firm with history, with the version of each period's end."""
    firm_level = CarbonAccount.objects.filter(level=Level.ENTERPRISE)
    dated = EnterpriseVersion.objects.values("enterprise_id")
    here = Q(park_id=F("enterprise__park_id")) | Q(park__isnull=True, enterprise__park__isnull=True)
    plain = firm_level.exclude(enterprise_id__in=dated).exclude(here & Q(district_id=F("enterprise__district_id")))
    keys: set[FirmKey] = set(plain.values_list("enterprise_id", "year", "month"))
    stored: dict[FirmKey, Place] = {
        (firm, year, month): (park, district)
        for firm, year, month, park, district in firm_level.filter(enterprise_id__in=dated).values_list(
            "enterprise_id", "year", "month", "park_id", "district_id"
        )
    }
    places = _places(stored)
    return keys | {key for key, place in stored.items() if places[key] != place}


@transaction.atomic
def carbon_recompute_moved(*, settings: EnergyConfig | None = None) -> RecomputeSummary:
    """Rebuild the accounts of the firms that are not where the registry places them (after a change
    of dated history: `registry.signals.history_changed`), with the sums of the periods concerned."""
    keys = _moved_keys()
    if not keys:
        return RecomputeSummary()
    summary = _replace(keys, {(year, month) for _, year, month in keys}, settings or installed_config())
    if any(month == 0 for _, _, month in keys):
        catalogue_figures.refresh(*catalogue_figures.FIGURES)
    return summary


@transaction.atomic
def carbon_recompute_for_batch(batch: ImportBatch, *, settings: EnergyConfig | None = None) -> RecomputeSummary:
    """Rebuild the accounts an import batch changed: its firms' periods, and the park, district and
    city sums of those periods. A batch of a kind that feeds no account changes nothing."""
    if batch.kind not in FEEDING_KINDS:
        return RecomputeSummary()
    keys = _keys_of_batch(batch)
    if not keys:
        return RecomputeSummary()
    summary = _replace(keys, {(year, month) for _, year, month in keys}, settings or installed_config())
    if any(month == 0 for _, _, month in keys):
        catalogue_figures.refresh(*catalogue_figures.FIGURES)  # the catalogue's carbon figures are annual
    return summary


def co2_of_year(year: int, enterprise_ids: Sequence[int]) -> dict[int, Decimal]:
    """Each firm's CO₂ of a year (tonnes, scope 1 and 2) from its carbon account: the 亩均 grading's
    `co2_t` measure (registered in `yuanqu.stats.derived`)."""
    found: dict[int, Decimal] = {}
    ids = list(enterprise_ids)
    for start in range(0, len(ids), 2000):
        rows = CarbonAccount.objects.filter(
            level=Level.ENTERPRISE, year=year, month=0, enterprise_id__in=ids[start : start + 2000]
        ).values_list("enterprise_id", "co2_t")
        found.update({firm: co2 for firm, co2 in rows if firm is not None})
    return found

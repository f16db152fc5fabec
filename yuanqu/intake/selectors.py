"""Reads of import batches, always within the reader's scope (`ImportBatch.objects.visible_to`: a
district user the batches uploaded in the district, a park operator the park's, anyone else only
their own uploads; city-wide roles all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from yuanqu.core.models import User
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LabelKind, LabelLevel, LandParcel
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat, StatRevision


def batch_list(user: User | Any, *, kind: str = "", status: str = "") -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.visible_to(user).select_related("uploaded_by", "district", "park")
    if kind in ImportBatch.Kind.values:
        batches = batches.filter(kind=kind)
    if status in ImportBatch.Status.values:
        batches = batches.filter(status=status)
    return batches.order_by("-created_at", "-id")


def batch_get(user: User | Any, pk: int) -> ImportBatch:
    """The batch if the user may see it; 404 otherwise, exactly as if it did not exist."""
    batch = batch_list(user).filter(pk=pk).first()
    if batch is None:
        raise Http404("批次不存在或不在您的权限范围内")
    return batch


def batch_revisions(batch: ImportBatch) -> QuerySet[StatRevision]:
    """The values this batch replaced (callers have already checked the batch is visible)."""
    return StatRevision.objects.filter(replaced_by=batch).select_related("old_batch").order_by("id")


# ---------------------------------------------------------------- data in template layout


def _number(value: Any) -> Any:
    return float(value) if value is not None else None


# Kinds registered by an app above (yuanqu.intake.services.intake_kind_register): the rows of their
# stored data that a user may see, in the kind's template layout.
ROW_SOURCES: dict[str, Callable[[Any], Iterator[list[Any]]]] = {}


def template_rows(user: User | Any, kind: str) -> Iterator[list[Any]]:
    """The stored data of a kind that the user may see, row by row in the column order of the kind's
    template, so that an export re-imports to the same values."""
    from yuanqu.intake.kinds import KINDS

    spec = KINDS[kind]
    keys = [column.key for column in spec.columns]
    if kind in ROW_SOURCES:
        yield from ROW_SOURCES[kind](user)
    elif kind == ImportBatch.Kind.MONTHLY:
        monthly = MonthlyStat.objects.visible_to(user).select_related("enterprise")
        stat: Any
        for stat in monthly.order_by("enterprise__uscc", "period").iterator(chunk_size=2000):
            period = f"{stat.period.year}年1-2月" if stat.months_covered == 2 else f"{stat.period:%Y-%m}"
            known = {"uscc": stat.enterprise.uscc, "name": stat.enterprise.name, "period": period}
            yield [known[key] if key in known else _number(getattr(stat, key)) for key in keys]
    elif kind == ImportBatch.Kind.ANNUAL:
        annual = AnnualStat.objects.visible_to(user).select_related("enterprise")
        for stat in annual.order_by("enterprise__uscc", "year").iterator(chunk_size=2000):
            known = {"uscc": stat.enterprise.uscc, "name": stat.enterprise.name, "year": stat.year}
            yield [known[key] if key in known else _number(getattr(stat, key)) for key in keys]
    elif kind == ImportBatch.Kind.PARK_ANNUAL:
        parks = ParkAnnualStat.objects.visible_to(user).select_related("park")
        for stat in parks.order_by("park__code", "year"):
            known = {"park": stat.park.code, "year": stat.year}
            yield [known[key] if key in known else _number(getattr(stat, key)) for key in keys]
    elif kind == ImportBatch.Kind.ENTERPRISES:
        firms = Enterprise.objects.visible_to(user).select_related("district", "park")
        for firm in firms.order_by("uscc").iterator(chunk_size=2000):
            yield [
                firm.uscc,
                firm.name,
                firm.industry_id,
                firm.district.name,
                firm.park.code if firm.park else "",
                firm.address,
                firm.lon,
                firm.lat,
                "WGS84" if firm.lon is not None else "",
                firm.founded_on.isoformat() if firm.founded_on else "",
            ]
    elif kind == ImportBatch.Kind.LABELS:
        kinds, levels = dict(LabelKind.choices), dict(LabelLevel.choices)
        labels = EnterpriseLabel.objects.visible_to(user).select_related("enterprise")
        for label in labels.order_by("enterprise__uscc", "kind", "valid_from").iterator(chunk_size=2000):
            yield [
                str(kinds[label.kind]),
                str(levels[label.level]) if label.level else "",
                label.enterprise.uscc,
                label.enterprise.name,
                label.certificate_no,
                label.valid_from.isoformat(),
                label.valid_to.isoformat() if label.valid_to else "",
                label.source,
            ]
    elif kind == ImportBatch.Kind.LAND:
        uses, methods = dict(LandParcel.Use.choices), dict(LandParcel.SupplyMethod.choices)
        parcels = LandParcel.objects.visible_to(user).select_related("district", "park", "enterprise")
        for parcel in parcels.order_by("code").iterator(chunk_size=2000):
            yield [
                parcel.code,
                parcel.district.name,
                parcel.park.code if parcel.park else "",
                parcel.enterprise.uscc if parcel.enterprise else "",
                float(parcel.area_mu),
                str(uses[parcel.use]),
                str(methods[parcel.supply_method]),
                parcel.supplied_on.isoformat() if parcel.supplied_on else "",
            ]

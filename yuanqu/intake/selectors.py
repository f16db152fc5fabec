"""Reads of import batches, always within the reader's scope (`ImportBatch.objects.visible_to`: a
district user the batches uploaded in the district, a park operator the park's, anyone else only
their own uploads; city-wide roles all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.intake.pack import AUDIT
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LabelKind, LabelLevel, LandParcel
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat, PriceIndex, StatRevision


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
    elif kind == ImportBatch.Kind.PRICE_INDEX:
        for index in PriceIndex.objects.order_by("division_id", "period"):
            known = {"division": index.division_id, "period": f"{index.period:%Y-%m}", "source": index.source}
            yield [known[key] if key in known else _number(getattr(index, key)) for key in keys]
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
                "、".join(label.product_names),
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


# ── 规上 consistency ──────────────────────────────────────────────────────────────────────────

LABELLED_NOT_QUALIFYING = "labelled_not_qualifying"
QUALIFYING_NOT_LABELLED = "qualifying_not_labelled"
CONTRADICTION_TEXT = {
    LABELLED_NOT_QUALIFYING: "持有{year}年规上称号，但{previous}年营业收入{revenue}万元低于{threshold}万元",
    QUALIFYING_NOT_LABELLED: "{previous}年营业收入{revenue}万元达到{threshold}万元，但{year}年没有规上称号",
}


@dataclass(frozen=True)
class AboveScaleContradiction:
    """An industrial firm whose 规上 label for `year` contradicts its reported revenue of year − 1."""

    enterprise_id: int
    uscc: str
    name: str
    year: int
    revenue: Decimal  # year − 1, 万元
    kind: str  # LABELLED_NOT_QUALIFYING or QUALIFYING_NOT_LABELLED

    def text(self, threshold: float) -> str:
        return CONTRADICTION_TEXT[self.kind].format(
            year=self.year, previous=self.year - 1, revenue=f"{self.revenue:,.2f}", threshold=f"{threshold:g}"
        )


def above_scale_contradictions(user: User | Any, *, year: int) -> list[AboveScaleContradiction]:
    """Industrial firms the user may see whose 规上 label for `year` (valid at the year's end)
    contradicts their reported revenue of year − 1 against the pack's threshold (audit.yaml
    `above_scale`): labelled without qualifying, or qualifying without a label. Firms that reported
    no revenue for year − 1 are not judged."""
    threshold = Decimal(str(installed_pack().section(AUDIT).above_scale_revenue))
    end = dt.date(year, 12, 31)
    firms = Enterprise.objects.visible_to(user).filter(industry__code__regex=r"^[BCD]")
    revenue: dict[int, Decimal] = {
        pk: value
        for pk, value in AnnualStat.objects.filter(enterprise__in=firms, year=year - 1).values_list(
            "enterprise_id", "revenue"
        )
        if value is not None
    }
    labelled = set(
        EnterpriseLabel.objects.filter(enterprise__in=firms, kind=LabelKind.ABOVE_SCALE, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end))
        .values_list("enterprise_id", flat=True)
    )
    found = []
    for pk, uscc, name in firms.filter(pk__in=revenue).order_by("uscc").values_list("pk", "uscc", "name"):
        qualifies = revenue[pk] >= threshold
        if qualifies == (pk in labelled):
            continue
        kind = QUALIFYING_NOT_LABELLED if qualifies else LABELLED_NOT_QUALIFYING
        found.append(AboveScaleContradiction(pk, uscc, name, year, revenue[pk], kind))
    return found

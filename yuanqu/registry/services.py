"""Writes to the registry. Every function is keyword-only, atomic, validates with `full_clean()`,
checks the actor's scope, and records the change in the audit log in the same transaction."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record, changed, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.pack import installed_pack, load_pack
from yuanqu.core.permissions import check_fields, check_place
from yuanqu.core.unset import UNSET, Unset, given
from yuanqu.core.uscc import normalise as normalise_uscc
from yuanqu.registry import geo
from yuanqu.registry.models import (
    District,
    Enterprise,
    EnterpriseLabel,
    EnterpriseVersion,
    IndustryClass,
    LandParcel,
    Park,
    ParkVersion,
)
from yuanqu.registry.pack import LAYOUT
from yuanqu.registry.region import district_table_path
from yuanqu.registry.versions import (
    record_enterprise_change,
    record_park_change,
    state_of,
)

# A park boundary as given: a GeoJSON object, or text the model's validation parses or refuses.
GeoJson = dict[str, Any] | str


class ParkDetails(TypedDict, total=False):
    """The park's fields that registering a park and changing one both take, each optional: a field
    not given keeps the model's default (registration) or its value (update)."""

    status: str
    status_since: dt.date | None
    recognised_on: dt.date | None
    boundary: GeoJson | None
    operator_name: str
    operator_uscc: str
    management_model: str
    smart_platform: bool
    smart_subsystems: int
    green_level: str
    synthetic: bool


class EnterpriseDetails(TypedDict, total=False):
    """The enterprise's fields that registering an enterprise and changing one both take, each
    optional like `ParkDetails`."""

    address: str
    lon: float | None
    lat: float | None
    park_id: int | None
    park_assignment: str
    founded_on: dt.date | None
    synthetic: bool


REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference_data"

ERR_LEAD_CHAINS = "主导产业链至多{limit}条"


# ---------------------------------------------------------------- who may write (core.permissions)


def _save(actor: User, obj: models.Model, before: dict[str, Any] | None, detail: str = "") -> None:
    obj.full_clean()
    obj.save()
    after = snapshot(obj)
    if before is None:
        audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=obj, after=after, detail=detail)
        return
    old, new = changed(before, after)
    if old or new:
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=obj, before=old, after=new, detail=detail)


def _parameters(values: dict[str, Any], *, skip: tuple[str, ...]) -> dict[str, Any]:
    """A service's field parameters that were given (`locals()` taken first thing in the service),
    by name, leaving out the ones that are not fields."""
    return given(**{name: value for name, value in values.items() if name not in skip})


def _differing(obj: models.Model, changes: dict[str, Any]) -> list[str]:
    """The keys whose value would change the row: an update that repeats a value writes nothing, so
    it needs no right over that field."""
    return [name for name, value in changes.items() if getattr(obj, name) != value]


def _apply(obj: models.Model, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(obj, name, value)


# ---------------------------------------------------------------- parks


def _set_lead_chains(park: Park, chain_ids: list[int] | None) -> None:
    if chain_ids is None:
        return
    limit = installed_pack().section(LAYOUT).lead_chain_limit
    if len(set(chain_ids)) > limit:
        raise ValidationError({"lead_chains": ERR_LEAD_CHAINS.format(limit=limit)})
    from yuanqu.registry.models import IndustryChain

    found = set(IndustryChain.objects.filter(pk__in=chain_ids).values_list("pk", flat=True))
    missing = sorted(set(chain_ids) - found)
    if missing:
        raise ValidationError({"lead_chains": f"产业链不存在：{missing}"})
    park.lead_chains.set(chain_ids)


@transaction.atomic
def park_create(
    *,
    actor: User,
    code: str,
    name: str,
    district_id: int,
    park_type: str,
    planned_area_km2: Decimal,
    lead_chain_ids: list[int] | None = None,
    **details: Unpack[ParkDetails],
) -> Park:
    """Register a park (the city's); a field not given keeps the model's default."""
    fields = _parameters(locals(), skip=("actor", "lead_chain_ids", "details")) | details
    check_fields(actor, Park, [*fields, *(["lead_chains"] if lead_chain_ids is not None else [])])
    park = Park()
    _apply(park, fields)
    check_place(actor, district_id=park.district_id, park_id=None)
    _save(actor, park, None)
    ParkVersion.objects.create(park=park, **state_of(park))
    _set_lead_chains(park, lead_chain_ids)
    return park


@transaction.atomic
def park_update(
    *,
    actor: User,
    park: Park,
    code: str | Unset = UNSET,
    name: str | Unset = UNSET,
    district_id: int | Unset = UNSET,
    park_type: str | Unset = UNSET,
    planned_area_km2: Decimal | Unset = UNSET,
    lead_chain_ids: list[int] | None = None,
    **details: Unpack[ParkDetails],
) -> Park:
    """Change the fields given (UNSET: left as they are) that the actor's role owns
    (core.permissions.FIELD_OWNERS). A park operator asks for the city's fields through a change
    request instead (`park_change_request_file`)."""
    changes = _parameters(locals(), skip=("actor", "park", "lead_chain_ids", "details")) | details
    park = get_visible_or_404(Park.objects.select_for_update(), actor, pk=park.pk)
    old_chains = sorted(park.lead_chains.values_list("pk", flat=True))
    touched = _differing(park, changes)
    if lead_chain_ids is not None and sorted(set(lead_chain_ids)) != old_chains:
        touched.append("lead_chains")
    check_fields(actor, Park, touched)
    before = snapshot(park)
    state = state_of(park)
    _apply(park, changes)
    _save(actor, park, before)
    # A type, status or green level changed without a date holds from today (registry.history
    # records a change from another day).
    record_park_change(park, state, timezone.localdate())
    if lead_chain_ids is not None:
        _set_lead_chains(park, lead_chain_ids)
        if old_chains != sorted(set(lead_chain_ids)):
            audit_record(
                actor=actor,
                action=AuditLog.Action.UPDATE,
                obj=park,
                before={"lead_chains": old_chains},
                after={"lead_chains": sorted(set(lead_chain_ids))},
            )
    return park


# ---------------------------------------------------------------- enterprises


def _park_locator() -> geo.ParkLocator:
    pairs = []
    for park_id, boundary in Park.objects.exclude(boundary__isnull=True).values_list("pk", "boundary"):
        pairs.append((park_id, geo.parse_boundary(boundary)))
    return geo.ParkLocator(pairs)


def _place(enterprise: Enterprise, locator: geo.ParkLocator | None) -> None:
    """Set the park from coordinates unless a person chose it."""
    if enterprise.park_assignment == Enterprise.ParkAssignment.MANUAL:
        if enterprise.park_id is None:
            enterprise.park_assignment = Enterprise.ParkAssignment.OUTSIDE
        return
    if enterprise.lon is None or enterprise.lat is None:
        enterprise.park_assignment = Enterprise.ParkAssignment.NO_COORDINATES
        return
    matches = (locator or _park_locator()).locate(enterprise.lon, enterprise.lat)
    if len(matches) == 1:
        enterprise.park_id = matches[0]
        enterprise.park_assignment = Enterprise.ParkAssignment.AUTO
    elif not matches:
        enterprise.park_id = None
        enterprise.park_assignment = Enterprise.ParkAssignment.OUTSIDE
    else:
        enterprise.park_id = None
        enterprise.park_assignment = Enterprise.ParkAssignment.AMBIGUOUS


def _normalise_enterprise(fields: dict[str, Any], coordinate_system: str) -> dict[str, Any]:
    fields = dict(fields)
    if "uscc" in fields and isinstance(fields["uscc"], str):
        fields["uscc"] = normalise_uscc(fields["uscc"])
    if fields.get("lon") is not None and fields.get("lat") is not None:
        try:
            fields["lon"], fields["lat"] = geo.to_wgs84(float(fields["lon"]), float(fields["lat"]), coordinate_system)
        except geo.GeoError as exc:
            raise ValidationError({"coordinate_system": str(exc)}) from exc
    if fields.get("park_id") is not None and "park_assignment" not in fields:
        fields["park_assignment"] = Enterprise.ParkAssignment.MANUAL
    return fields


@transaction.atomic
def enterprise_create(
    *,
    actor: User,
    uscc: str,
    name: str,
    industry_id: str,
    district_id: int,
    coordinate_system: str = "wgs84",
    locator: geo.ParkLocator | None = None,
    **details: Unpack[EnterpriseDetails],
) -> Enterprise:
    """Register an enterprise. Coordinates in `coordinate_system` (wgs84 or gcj02) are stored as
    WGS84; without a park chosen the park is found from them (`locator`: the parks' boundaries,
    built once by a caller writing many)."""
    fields = _parameters(locals(), skip=("actor", "coordinate_system", "locator", "details")) | details
    normalised = _normalise_enterprise(fields, coordinate_system)
    check_fields(actor, Enterprise, normalised)
    enterprise = Enterprise()
    _apply(enterprise, normalised)
    _validate_industry(enterprise.industry_id)
    _place(enterprise, locator)
    check_place(actor, district_id=enterprise.district_id, park_id=enterprise.park_id)
    _save(actor, enterprise, None)
    EnterpriseVersion.objects.create(enterprise=enterprise, **state_of(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor: User,
    enterprise: Enterprise,
    name: str | Unset = UNSET,
    industry_id: str | Unset = UNSET,
    district_id: int | Unset = UNSET,
    coordinate_system: str = "wgs84",
    locator: geo.ParkLocator | None = None,
    **details: Unpack[EnterpriseDetails],
) -> Enterprise:
    """Change the fields given (UNSET: left as they are). The credit code is the enterprise's
    identity: set at registration, never changed, so it is not a parameter."""
    changes = _parameters(locals(), skip=("actor", "enterprise", "coordinate_system", "locator", "details")) | details
    enterprise = get_visible_or_404(Enterprise.objects.select_for_update(), actor, pk=enterprise.pk)
    normalised = _normalise_enterprise(changes, coordinate_system)
    check_fields(actor, Enterprise, _differing(enterprise, normalised))
    before = snapshot(enterprise)
    state = state_of(enterprise)
    _apply(enterprise, normalised)
    if "industry_id" in normalised:
        _validate_industry(enterprise.industry_id)
    if {"lon", "lat", "park_id", "park_assignment"} & set(normalised):
        _place(enterprise, locator)
    if (enterprise.district_id, enterprise.park_id) != (before["district_id"], before["park_id"]):
        check_place(actor, district_id=enterprise.district_id, park_id=enterprise.park_id)
    _save(actor, enterprise, before)
    # A park, district or industry changed without a date holds from today: the periods before keep
    # the state they had (registry.history records a change from another day).
    record_enterprise_change(enterprise, state, timezone.localdate())
    return enterprise


def _validate_industry(code: str | None) -> None:
    if not code:
        raise ValidationError({"industry": "请填写行业小类代码"})
    level = IndustryClass.objects.filter(pk=code).values_list("level", flat=True).first()
    if level is None:
        raise ValidationError({"industry": f"行业代码“{code}”不在《国民经济行业分类》(GB/T 4754-2017)中"})
    if level != IndustryClass.Level.CLASS:
        raise ValidationError({"industry": f"行业代码“{code}”不是小类，请填写4位小类代码（如 C3976）"})


@transaction.atomic
def enterprise_label_add(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    valid_from: dt.date,
    level: str = "",
    valid_to: dt.date | None = None,
    certificate_no: str = "",
    source: str = "",
    products: str = "",  # 绿色设计产品: the products listed
    batch_id: int | None = None,  # the import batch that wrote it (intake's lineage)
) -> EnterpriseLabel:
    fields = ("enterprise", "kind", "level", "valid_from", "valid_to", "certificate_no", "source", "products")
    check_fields(actor, EnterpriseLabel, fields)
    enterprise = get_visible_or_404(Enterprise.objects.all(), actor, pk=enterprise.pk)
    label = EnterpriseLabel(
        enterprise=enterprise,
        kind=kind,
        level=level,
        valid_from=valid_from,
        valid_to=valid_to,
        certificate_no=certificate_no,
        source=source,
        products=products,
        batch_id=batch_id,
    )
    _save(actor, label, None)
    return label


# ---------------------------------------------------------------- land and facilities


@transaction.atomic
def land_parcel_create(
    *,
    actor: User,
    code: str,
    district_id: int,
    area_mu: Decimal,
    use: str,
    supply_method: str,
    park_id: int | Unset | None = UNSET,
    enterprise_id: int | Unset | None = UNSET,
    supplied_on: dt.date | Unset | None = UNSET,
    synthetic: bool | Unset = UNSET,
    batch_id: int | None = None,
) -> LandParcel:
    fields = _parameters(locals(), skip=("actor", "batch_id"))
    # The import batch is the row's lineage, recorded by intake, not a field a person sets.
    check_fields(actor, LandParcel, fields)
    parcel = LandParcel(**fields, batch_id=batch_id)
    check_place(actor, district_id=parcel.district_id, park_id=parcel.park_id)
    _save(actor, parcel, None)
    return parcel


# ---------------------------------------------------------------- reference data


@transaction.atomic
def reference_data_load(directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Load (or refresh) the pack's districts and zones (pack.yaml `districts`), GB/T 4754-2017 and
    the 2017 high-tech list. Idempotent."""
    table = district_table_path()
    if table is not None:
        with open(table, encoding="utf-8") as handle:
            for order, row in enumerate(csv.DictReader(handle)):
                District.objects.update_or_create(
                    code=row["code"],
                    defaults={"name": row["name"], "kind": row["kind"], "note": row["note"], "sort_order": order},
                )
    with open(directory / "gbt4754-2017.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(IndustryClass.objects.values_list("pk", flat=True))
    fresh = [
        IndustryClass(code=row["code"], name=row["name"], level=row["level"], parent_id=row["parent"] or None)
        for row in rows
        if row["code"] not in existing
    ]
    # Parents come before children in the file; foreign keys are checked at commit on both databases.
    IndustryClass.objects.bulk_create(fresh, batch_size=500)
    with open(directory / "high-tech-manufacturing-2017.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            IndustryClass.objects.filter(pk=row["industry_code"]).update(
                high_tech_group=row["group"], high_tech_group_name=row["group_name"]
            )
    return {"districts": District.objects.count(), "industry_classes": len(rows)}


@transaction.atomic
def policy_pack_apply(path: Path | None = None) -> dict[str, int]:
    """Load the policy pack's responsible units and industry chains into the registry. Idempotent:
    rows are matched by code and updated; chain nodes are replaced by the pack's."""
    from yuanqu.registry.models import ChainNode, IndustryChain, ResponsibleUnit

    pack = installed_pack() if path is None else load_pack(Path(path))
    layout = pack.section(LAYOUT)
    districts = list(District.objects.all())
    for unit in layout.units:
        ResponsibleUnit.objects.update_or_create(
            code=unit.code, defaults={"name": unit.name, "kind": unit.kind, "full_name": unit.full_name or ""}
        )
        # "各区人民政府" stands for one unit per district or zone, each handling its own cases and tasks.
        for district in districts:
            if district.kind not in unit.expands_to:
                continue
            suffix = "人民政府" if district.kind == District.Kind.DISTRICT else "管委会"
            ResponsibleUnit.objects.update_or_create(
                code=f"{unit.code}-{district.code.lower()}",
                defaults={"name": f"{district.name}{suffix}", "kind": unit.kind, "district": district},
            )
    for order, chain in enumerate(layout.chains):
        row, _ = IndustryChain.objects.update_or_create(
            code=chain.code,
            defaults={"name": chain.name, "kind": chain.kind, "illustrative": chain.illustrative, "sort_order": order},
        )
        row.nodes.all().delete()
        for position, node in enumerate(chain.nodes):
            node_row = ChainNode.objects.create(chain=row, name=node.name, stage=node.stage, position=position)
            node_row.industry_classes.set(IndustryClass.objects.filter(pk__in=node.industry_classes))
    return {"units": ResponsibleUnit.objects.count(), "chains": IndustryChain.objects.count()}

"""Writes of dated history (时点口径): an enterprise moving to another park, changing its industry
class or its registration status (注销, 迁出) from a given day, a park's type, status or green level
changing from a given day, and the correction of a version's start day. Each service is keyword-only,
atomic, checks the actor's scope and rights over the fields, keeps the object's own fields equal to
its newest version, records the change in the audit log, and announces the days and cells whose
figures change (`signals.history_changed`), which the indicators recompute."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import check_fields, check_place
from yuanqu.core.unset import UNSET, Unset, given
from yuanqu.registry.models import Enterprise, EnterpriseVersion, Park, ParkVersion
from yuanqu.registry.services import _save, _validate_industry
from yuanqu.registry.versions import (
    announce_enterprise,
    announce_park,
    enterprise_cell,
    enterprise_versions,
    open_version,
    park_versions,
    state_of,
)

ERR_NO_CHANGE = "与当前状态相同，没有需要记录的变更"
ERR_FUTURE = "变更日期 {day} 晚于今天，只能记录已经发生的变更"
ERR_NOT_AFTER_LAST = "变更日期 {day} 须晚于当前状态的起始日期 {start}；更早的变更请更正该段历史的起始日期"
ERR_FIRST_VERSION = "第一段历史自建档起生效，没有起始日期可更正"
ERR_CORRECT_RANGE = "起始日期 {day} 须晚于上一段历史的起始日期 {previous}"
ERR_CORRECT_AFTER_END = "起始日期 {day} 不能晚于本段历史的截止日期 {end}"
ERR_SAME_START = "起始日期未改变"


def _check_day(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"valid_from": ERR_FUTURE.format(day=day.isoformat())})


def _check_after_last(versions: list[Any], day: dt.date) -> None:
    start = versions[-1].valid_from
    if start is not None and day <= start:
        raise ValidationError({"valid_from": ERR_NOT_AFTER_LAST.format(day=day.isoformat(), start=start.isoformat())})


def _differing(actor: User, obj: Enterprise | Park, changes: dict[str, Any], valid_from: dt.date) -> list[str]:
    """The fields `changes` gives another value than the object's now, checked: at least one, each
    one the actor may write, and a day not in the future."""
    differing = [name for name, value in changes.items() if getattr(obj, name) != value]
    if not differing:
        raise ValidationError(ERR_NO_CHANGE, code="no_change")
    check_fields(actor, type(obj), differing)
    _check_day(valid_from)
    return differing


def _audit_version(actor: User, version: EnterpriseVersion | ParkVersion, detail: str) -> None:
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=version, after=snapshot(version), detail=detail)


@transaction.atomic
def enterprise_state_change(
    *,
    actor: User,
    enterprise: Enterprise,
    valid_from: dt.date,
    park_id: int | Unset | None = UNSET,
    district_id: int | Unset = UNSET,
    industry_id: str | Unset = UNSET,
    registration_status: str | Unset = UNSET,
) -> EnterpriseVersion:
    """Record that the enterprise's park, district, industry class or registration status changed
    on `valid_from` (a move to another park, 注销, 迁出 …): the periods that ended before keep the
    old state. `valid_from` must be after the start of the state now in force."""
    changes = given(
        park_id=park_id, district_id=district_id, industry_id=industry_id, registration_status=registration_status
    )
    enterprise = get_visible_or_404(Enterprise.objects.select_for_update(), actor, pk=enterprise.pk)
    differing = _differing(actor, enterprise, changes, valid_from)
    versions = enterprise_versions(enterprise)
    _check_after_last(versions, valid_from)
    old = state_of(enterprise)
    before = snapshot(enterprise)
    for name in differing:
        setattr(enterprise, name, changes[name])
    if "industry_id" in differing:
        _validate_industry(enterprise.industry_id)
    if "park_id" in differing:
        enterprise.park_assignment = (
            Enterprise.ParkAssignment.MANUAL if enterprise.park_id is not None else Enterprise.ParkAssignment.OUTSIDE
        )
    if {"park_id", "district_id"} & set(differing):
        check_place(actor, district_id=enterprise.district_id, park_id=enterprise.park_id)
    _save(actor, enterprise, before, detail=f"自{valid_from.isoformat()}起")
    version = open_version(versions, enterprise, valid_from)
    assert isinstance(version, EnterpriseVersion)
    _audit_version(actor, version, f"{enterprise.name}自{valid_from.isoformat()}起的状态")
    announce_enterprise({enterprise_cell(old), enterprise_cell(version)}, valid_from, None)
    return version


@transaction.atomic
def park_state_change(
    *,
    actor: User,
    park: Park,
    valid_from: dt.date,
    park_type: str | Unset = UNSET,
    status: str | Unset = UNSET,
    recognised_on: dt.date | Unset | None = UNSET,
    green_level: str | Unset = UNSET,
) -> ParkVersion:
    """Record that the park's type, recognition status or green level changed on `valid_from`."""
    changes = given(park_type=park_type, status=status, recognised_on=recognised_on, green_level=green_level)
    park = get_visible_or_404(Park.objects.select_for_update(), actor, pk=park.pk)
    differing = _differing(actor, park, changes, valid_from)
    versions = park_versions(park)
    _check_after_last(versions, valid_from)
    before = snapshot(park)
    for name in differing:
        setattr(park, name, changes[name])
    _save(actor, park, before, detail=f"自{valid_from.isoformat()}起")
    version = open_version(versions, park, valid_from)
    assert isinstance(version, ParkVersion)
    _audit_version(actor, version, f"{park.name}自{valid_from.isoformat()}起的状态")
    announce_park(park, valid_from, None)
    return version


def _correct(actor: User, versions: list[Any], version: Any, valid_from: dt.date) -> tuple[Any, dt.date]:
    """Move the version's start to `valid_from` and the previous version's end with it; returns the
    previous version and the old start."""
    index = next(i for i, found in enumerate(versions) if found.pk == version.pk)
    if index == 0:
        raise ValidationError({"valid_from": ERR_FIRST_VERSION}, code="first_version")
    version = versions[index]
    previous = versions[index - 1]
    old_start = version.valid_from
    if valid_from == old_start:
        raise ValidationError({"valid_from": ERR_SAME_START}, code="no_change")
    _check_day(valid_from)
    if previous.valid_from is not None and valid_from <= previous.valid_from:
        raise ValidationError(
            {
                "valid_from": ERR_CORRECT_RANGE.format(
                    day=valid_from.isoformat(), previous=previous.valid_from.isoformat()
                )
            }
        )
    if version.valid_to is not None and valid_from > version.valid_to:
        raise ValidationError(
            {"valid_from": ERR_CORRECT_AFTER_END.format(day=valid_from.isoformat(), end=version.valid_to.isoformat())}
        )
    before = snapshot(version)
    version.valid_from = valid_from
    version.save(update_fields=["valid_from", "recorded_at"])
    previous.valid_to = valid_from - dt.timedelta(days=1)
    previous.save(update_fields=["valid_to", "recorded_at"])
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=version,
        before={"valid_from": before["valid_from"]},
        after={"valid_from": valid_from.isoformat()},
        detail="更正历史状态的起始日期",
    )
    return previous, old_start


VersionT = TypeVar("VersionT", EnterpriseVersion, ParkVersion)


def _version_to_correct(
    actor: User,
    model: type[Enterprise] | type[Park],
    versions: list[VersionT],
    version: VersionT,
) -> VersionT:
    """`version` as it stands in `versions` (DoesNotExist when it is not one of them), once the actor
    is found to have the right over every field that changed at its start."""
    found = next((item for item in versions if item.pk == version.pk), None)
    if found is None:
        raise type(version).DoesNotExist
    previous = versions[max(versions.index(found) - 1, 0)]
    changed = [name for name in found.state_fields if getattr(found, name) != getattr(previous, name)]
    check_fields(actor, model, changed)
    return found


@transaction.atomic
def enterprise_version_correct(*, actor: User, version: EnterpriseVersion, valid_from: dt.date) -> EnterpriseVersion:
    """Correct the day a version of an enterprise's state began (a wrong date of a move, 注销 …): the
    version before it ends the day before. Recomputes the days between the old and the new date."""
    enterprise = get_visible_or_404(Enterprise.objects.select_for_update(), actor, pk=version.enterprise_id)
    versions = enterprise_versions(enterprise)
    found = _version_to_correct(actor, Enterprise, versions, version)
    previous, old_start = _correct(actor, versions, found, valid_from)
    first, last = sorted((old_start, valid_from))
    announce_enterprise({enterprise_cell(previous), enterprise_cell(found)}, first, last - dt.timedelta(days=1))
    return found


@transaction.atomic
def park_version_correct(*, actor: User, version: ParkVersion, valid_from: dt.date) -> ParkVersion:
    """Correct the day a version of a park's state began."""
    park = get_visible_or_404(Park.objects.select_for_update(), actor, pk=version.park_id)
    versions = park_versions(park)
    found = _version_to_correct(actor, Park, versions, version)
    _, old_start = _correct(actor, versions, found, valid_from)
    first, last = sorted((old_start, valid_from))
    announce_park(park, first, last - dt.timedelta(days=1))
    return found

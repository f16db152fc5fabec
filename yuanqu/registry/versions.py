"""The mechanics of dated history: an enterprise's or a park's versions kept in step with the
object's own fields. A change from a day closes the version in force the day before and opens one
from that day; an object with no version yet gets one for its state until then. Called by the
registry's services only (`services`, `history`), inside their transaction; each call announces
what changed (`signals.history_changed`) once the transaction commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.registry.models import (
    ENTERPRISE_VERSION_FIELDS,
    PARK_VERSION_FIELDS,
    Enterprise,
    EnterpriseVersion,
    Park,
    ParkVersion,
)
from yuanqu.registry.signals import HistoryChange, history_changed_on_commit

Version = EnterpriseVersion | ParkVersion


def enterprise_versions(enterprise: Enterprise, current: dict[str, Any] | None = None) -> list[EnterpriseVersion]:
    """The enterprise's versions, oldest first, locked; an enterprise without any gets one from its
    state (`current`, by default its fields) since the first record."""
    found = list(EnterpriseVersion.objects.select_for_update().filter(enterprise=enterprise).order_by("valid_from"))
    found.sort(key=lambda version: version.valid_from or dt.date.min)
    if found:
        return found
    values = current if current is not None else _values(enterprise, ENTERPRISE_VERSION_FIELDS)
    return [EnterpriseVersion.objects.create(enterprise=enterprise, **values)]


def park_versions(park: Park, current: dict[str, Any] | None = None) -> list[ParkVersion]:
    """The park's versions, oldest first, locked (one from its state when it has none)."""
    found = list(ParkVersion.objects.select_for_update().filter(park=park))
    found.sort(key=lambda version: version.valid_from or dt.date.min)
    if found:
        return found
    values = current if current is not None else _values(park, PARK_VERSION_FIELDS)
    return [ParkVersion.objects.create(park=park, **values)]


def _values(obj: Enterprise | Park, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def state_of(obj: Enterprise | Park) -> dict[str, Any]:
    """The fields of the object that its versions keep, as they are now."""
    return _values(obj, ENTERPRISE_VERSION_FIELDS if isinstance(obj, Enterprise) else PARK_VERSION_FIELDS)


def open_version(versions: list[Any], owner: Enterprise | Park, day: dt.date) -> Version:
    """Close the newest version the day before `day` and open one from `day` with the owner's
    current fields; a newest version that starts on `day` itself is changed in place. The caller
    checked that `day` is after the newest version's start."""
    names = ENTERPRISE_VERSION_FIELDS if isinstance(owner, Enterprise) else PARK_VERSION_FIELDS
    last = versions[-1]
    if last.valid_from == day:
        for name, value in _values(owner, names).items():
            setattr(last, name, value)
        last.save()
        return last  # type: ignore[no-any-return]
    last.valid_to = day - dt.timedelta(days=1)
    last.save(update_fields=["valid_to", "recorded_at"])
    if isinstance(owner, Enterprise):
        return EnterpriseVersion.objects.create(enterprise=owner, valid_from=day, **_values(owner, names))
    return ParkVersion.objects.create(park=owner, valid_from=day, **_values(owner, names))


def enterprise_cell(version: EnterpriseVersion | dict[str, Any]) -> tuple[int | None, int]:
    if isinstance(version, dict):
        return version["park_id"], version["district_id"]
    return version.park_id, version.district_id


def announce_enterprise(cells: set[tuple[int | None, int]], start: dt.date | None, end: dt.date | None) -> None:
    history_changed_on_commit(HistoryChange(frozenset(cells), start, end))


def announce_park(park: Park, start: dt.date | None, end: dt.date | None) -> None:
    history_changed_on_commit(HistoryChange(frozenset({(park.pk, park.district_id)}), start, end, park_state=True))


def _open_undated(versions: list[Any], owner: Enterprise | Park, day: dt.date) -> dt.date:
    """Open the version of a change made without a date from `day`, or from the newest version's
    start when that is later (a dated change recorded ahead); returns the day it holds from."""
    last = versions[-1]
    if last.valid_from is not None and last.valid_from > day:
        day = last.valid_from
    open_version(versions, owner, day)
    return day


def record_enterprise_change(enterprise: Enterprise, before: dict[str, Any], day: dt.date) -> None:
    """After an enterprise's fields changed without a date (a form, an enterprise list import): the
    change holds from `day` (today), so the periods before keep their state."""
    old = {name: before[name] for name in ENTERPRISE_VERSION_FIELDS}
    new = _values(enterprise, ENTERPRISE_VERSION_FIELDS)
    if old == new:
        return
    day = _open_undated(enterprise_versions(enterprise, old), enterprise, day)
    announce_enterprise({enterprise_cell(old), enterprise_cell(new)}, day, None)


def record_park_change(park: Park, before: dict[str, Any], day: dt.date) -> None:
    """After a park's type, status or green level changed without a date: it holds from `day`."""
    old = {name: before[name] for name in PARK_VERSION_FIELDS}
    if old == _values(park, PARK_VERSION_FIELDS):
        return
    day = _open_undated(park_versions(park, old), park, day)
    announce_park(park, day, None)

"""服务标准清单 as the pages and the API read it: each park's lines against the pack's service types,
and the gaps (a required type the park does not list). Every list is published: any role that reads
the service pages reads every park's list; the coverage lists the parks the user's scope holds."""

from __future__ import annotations

from dataclasses import dataclass

from yuanqu.core.models import User
from yuanqu.registry.models import Park
from yuanqu.service.config import config
from yuanqu.service.models import ParkService
from yuanqu.service.pack import ServiceType


@dataclass(frozen=True)
class Coverage:
    park: Park
    lines: dict[str, ParkService]  # service type → line

    @property
    def gaps(self) -> list[ServiceType]:
        return [kind for kind in config().service_types if kind.required and kind.code not in self.lines]


def park_lines(user: User, park: Park) -> dict[str, ParkService]:
    rows = ParkService.objects.visible_to(user).filter(park=park, retired_at__isnull=True).select_related("updated_by")
    return {row.service_type: row for row in rows}


def retired_lines(user: User, park: Park) -> list[ParkService]:
    """The lines taken off the park's list, newest first: the list's history."""
    rows = ParkService.objects.visible_to(user).filter(park=park, retired_at__isnull=False)
    return list(rows.select_related("retired_by").order_by("-retired_at", "-pk"))


def coverage(user: User) -> list[Coverage]:
    parks = list(Park.objects.visible_to(user).order_by("code"))
    lines: dict[int, dict[str, ParkService]] = {park.pk: {} for park in parks}
    for row in ParkService.objects.visible_to(user).filter(park__in=parks, retired_at__isnull=True):
        lines[row.park_id][row.service_type] = row
    return [Coverage(park, lines[park.pk]) for park in parks]

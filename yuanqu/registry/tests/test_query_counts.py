"""List pages and the map read a fixed number of queries, however many rows they show (no N+1)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, square
from yuanqu.core.uscc import make as make_uscc
from yuanqu.registry.models import Enterprise, Park

# Each page pays for the session (read; written only when due for renewal, core/sessions.py), the user
# and the demo flag.
# Pages count one query more than the API for the header's count of unread notifications.
PINNED = {
    "/registry/parks/": 9,
    "/registry/enterprises/": 9,
    "/registry/map/parks.geojson": 3,
    "/registry/": 12,
    "/registry/land/": 7,
    "/registry/districts/": 6,
    "/api/v1/registry/parks": 5,
    "/api/v1/registry/enterprises": 4,
}


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(world: World, n: int) -> None:
    district = world.districts["jiangxia"]
    for i in range(n):
        park = Park(
            code=f"PX{i}",
            name=f"扩展园区{i}",
            district=district,
            park_type="featured",
            planned_area_km2=Decimal(1),
            boundary=square(114.40 + i * 0.03, 30.45, 0.01),
        )
        park.full_clean()
        park.save()
        Enterprise.objects.create(
            uscc=make_uscc(f"91420100MA4KX{i:04d}"),
            name=f"扩展企业{i}",
            industry_id="C3976",
            district=district,
            park=park,
            park_assignment="manual",
        )


def test_list_pages_and_the_map_read_a_fixed_number_of_queries_however_many_rows(world: World) -> None:
    client = world.client("district_jiangxia")
    urls = [
        "/registry/parks/",
        "/registry/enterprises/",
        "/registry/map/parks.geojson",
        "/registry/",
        "/registry/land/",
        "/registry/districts/",
        "/api/v1/registry/parks",
        "/api/v1/registry/enterprises",
    ]
    before = {url: _queries(client, url) for url in urls}
    _grow(world, 6)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    # The absolute numbers, so that a new query on a hot page is a conscious change.
    assert before == PINNED, repr(before)

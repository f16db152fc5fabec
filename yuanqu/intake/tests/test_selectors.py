"""Batch history is scoped like everything else: each persona sees exactly its batches."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import World
from yuanqu.intake.selectors import batch_get, batch_list
from yuanqu.stats.models import ImportBatch


@pytest.fixture
def batches(world: World) -> dict[str, ImportBatch]:
    jiangxia, caidian = world.districts["jiangxia"], world.districts["caidian"]
    return {
        "city": ImportBatch.objects.create(kind="labels", uploaded_by=world.users["city_admin"]),
        "jiangxia": ImportBatch.objects.create(
            kind="monthly", uploaded_by=world.users["district_jiangxia"], district=jiangxia
        ),
        "park_pa": ImportBatch.objects.create(
            kind="park_annual", uploaded_by=world.users["park_operator"], district=jiangxia, park=world.parks["PA"]
        ),
        "caidian": ImportBatch.objects.create(
            kind="monthly", uploaded_by=world.users["district_caidian"], district=caidian
        ),
        "demo": ImportBatch.objects.create(kind="monthly", synthetic=True),
    }


EXPECTED = {
    "city_admin": {"city", "jiangxia", "park_pa", "caidian", "demo"},
    "city_viewer": {"city", "jiangxia", "park_pa", "caidian", "demo"},
    "sysadmin": {"city", "jiangxia", "park_pa", "caidian", "demo"},
    "district_jiangxia": {"jiangxia", "park_pa"},
    "district_caidian": {"caidian"},
    "park_operator": {"park_pa"},
    "enterprise": set(),
    "handler": set(),
    "auditor": set(),
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_it_shows_each_persona_exactly_its_batches(
    world: World, batches: dict[str, ImportBatch], persona: str, expected: set[str]
) -> None:
    visible = set(batch_list(world.users[persona]).values_list("pk", flat=True))
    assert visible == {batches[name].pk for name in expected}


def test_it_answers_404_for_a_batch_outside_scope(world: World, batches: dict[str, ImportBatch]) -> None:
    with pytest.raises(Http404):
        batch_get(world.users["district_jiangxia"], batches["caidian"].pk)
    assert batch_get(world.users["district_caidian"], batches["caidian"].pk) == batches["caidian"]


def test_it_filters_by_kind_and_status(world: World, batches: dict[str, ImportBatch]) -> None:
    admin = world.users["city_admin"]
    assert set(batch_list(admin, kind="monthly").values_list("pk", flat=True)) == {
        batches[name].pk for name in ("jiangxia", "caidian", "demo")
    }
    assert not batch_list(admin, status="applied").exists()

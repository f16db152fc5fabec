"""Dated history in the registry: the migration's back-fill, a change from a day through the API
(and its refusals), the dateless update holding from today, and the history on the registry pages."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from conftest import World
from yuanqu.registry.history import ERR_FIRST_VERSION, ERR_FUTURE, ERR_NO_CHANGE
from yuanqu.registry.models import Enterprise, EnterpriseVersion, ParkVersion
from yuanqu.registry.services import enterprise_update

backfill = importlib.import_module("yuanqu.registry.migrations.0006_dated_history").backfill


def test_the_migration_gives_each_object_its_current_state_as_one_open_version(world: World) -> None:
    EnterpriseVersion.objects.all().delete()
    ParkVersion.objects.all().delete()
    backfill(apps, None)
    e1 = world.enterprises["E1"]
    assert list(EnterpriseVersion.objects.filter(enterprise=e1).values_list("valid_from", "valid_to", "park_id")) == [
        (None, None, e1.park_id)
    ]
    assert EnterpriseVersion.objects.count() == Enterprise.objects.count()
    pa = world.parks["PA"]
    assert list(ParkVersion.objects.filter(park=pa).values_list("valid_from", "valid_to", "park_type")) == [
        (None, None, pa.park_type)
    ]


def test_a_move_through_the_api_closes_the_old_version_and_opens_a_new_one(world: World) -> None:
    client = world.client("district_jiangxia")
    e1 = world.enterprises["E1"]
    response = client.post(
        f"/api/v1/registry/enterprises/{e1.uscc}/history",
        {"valid_from": "2025-07-01", "park": "PB"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["park"] == "PB"
    detail = client.get(f"/api/v1/registry/enterprises/{e1.uscc}").json()
    assert detail["park"] == "PB"
    assert [(row["valid_from"], row["valid_to"], row["park"]) for row in detail["history"]] == [
        (None, "2025-06-30", "PA"),
        ("2025-07-01", None, "PB"),
    ]


def _e1_versions() -> list[tuple[dt.date | None, dt.date | None, str | None]]:
    return list(
        EnterpriseVersion.objects.filter(enterprise__name="武汉甲光电科技有限公司")
        .order_by("pk")
        .values_list("valid_from", "valid_to", "park__code")
    )


def test_the_api_refuses_a_change_from_a_future_day_and_records_nothing(world: World) -> None:
    e1 = world.enterprises["E1"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = world.client("city_admin").post(
        f"/api/v1/registry/enterprises/{e1.uscc}/history",
        {"valid_from": tomorrow.isoformat(), "park": "PB"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert ERR_FUTURE.format(day=tomorrow.isoformat()) in response.json()["detail"]
    assert _e1_versions() == []  # the world's E1 has no dated history until its first change


def test_the_api_refuses_a_change_that_changes_nothing_and_records_nothing(world: World) -> None:
    e1 = world.enterprises["E1"]
    response = world.client("city_admin").post(
        f"/api/v1/registry/enterprises/{e1.uscc}/history",
        {"valid_from": "2025-07-01", "park": "PA"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert ERR_NO_CHANGE in response.json()["detail"]
    assert _e1_versions() == []  # the world's E1 has no dated history until its first change


def test_a_park_type_change_from_a_day_is_kept_on_the_park_and_its_history(world: World) -> None:
    client = world.client("city_admin")
    response = client.post(
        "/api/v1/registry/parks/PB/history",
        {"valid_from": "2025-01-01", "park_type": "modern"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    detail = client.get("/api/v1/registry/parks/PB").json()
    assert detail["park_type"] == "modern"
    assert [(row["valid_from"], row["park_type"]) for row in detail["history"]] == [
        (None, "urban"),
        ("2025-01-01", "modern"),
    ]


def test_an_update_without_a_date_holds_from_today(world: World) -> None:
    e1 = world.enterprises["E1"]
    enterprise_update(actor=world.users["city_admin"], enterprise=e1, park_id=world.parks["PB"].pk)
    today = timezone.localdate()
    assert list(
        EnterpriseVersion.objects.filter(enterprise=e1)
        .order_by("pk")
        .values_list("valid_from", "valid_to", "park__code")
    ) == [(None, today - dt.timedelta(days=1), "PA"), (today, None, "PB")]


def test_the_enterprise_and_park_pages_show_the_history_table(world: World) -> None:
    client = world.client("city_admin")
    client.post(
        f"/api/v1/registry/enterprises/{world.enterprises['E1'].uscc}/history",
        {"valid_from": "2025-07-01", "park": "PB"},
        content_type="application/json",
    )
    page = client.get(f"/registry/enterprises/{world.enterprises['E1'].uscc}/").content.decode()
    assert 'data-testid="history-table"' in page
    assert "2025-06-30" in page and "2025-07-01" in page
    park_page = client.get("/registry/parks/PA/").content.decode()
    assert 'data-testid="history-table"' in park_page


def test_a_wrong_date_of_a_park_change_is_corrected_and_the_version_before_follows(world: World) -> None:
    client = world.client("city_admin")
    created = client.post(
        "/api/v1/registry/parks/PB/history",
        {"valid_from": "2025-01-01", "green_level": "provincial"},
        content_type="application/json",
    )
    version = ParkVersion.objects.get(park=world.parks["PB"], valid_from=dt.date(2025, 1, 1))
    assert created.status_code == 201
    response = client.patch(
        f"/api/v1/registry/parks/PB/history/{version.pk}", {"valid_from": "2024-10-01"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert list(
        ParkVersion.objects.filter(park=world.parks["PB"]).order_by("pk").values_list("valid_from", "valid_to")
    ) == [(None, dt.date(2024, 9, 30)), (dt.date(2024, 10, 1), None)]
    # The district may not correct the city's field, and nothing changes.
    refused = world.client("district_jiangxia").patch(
        f"/api/v1/registry/parks/PB/history/{version.pk}", {"valid_from": "2024-11-01"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert ParkVersion.objects.get(pk=version.pk).valid_from == dt.date(2024, 10, 1)


def test_a_move_from_a_day_is_recorded_from_the_enterprise_page(world: World) -> None:
    e1 = world.enterprises["E1"]
    client = world.client("district_jiangxia")
    page = client.get(f"/registry/enterprises/{e1.uscc}/").content.decode()
    assert 'data-testid="state-form"' in page
    response = client.post(
        f"/registry/enterprises/{e1.uscc}/history/", {"valid_from": "2025-07-01", "park": "PB"}, follow=True
    )
    assert "已记录自2025-07-01起的状态变更" in response.content.decode()
    assert list(
        EnterpriseVersion.objects.filter(enterprise=e1).order_by("pk").values_list("valid_to", "park__code")
    ) == [(dt.date(2025, 6, 30), "PA"), (None, "PB")]
    # Without a date nothing is recorded, and the page says which field is missing.
    refused = client.post(f"/registry/enterprises/{e1.uscc}/history/", {"park": "PA"}, follow=True)
    assert "请选择起始日期" in refused.content.decode()
    assert EnterpriseVersion.objects.filter(enterprise=e1).count() == 2
    # A reader sees the history, not the form.
    viewer_page = world.client("city_viewer").get(f"/registry/enterprises/{e1.uscc}/").content.decode()
    assert 'data-testid="history-table"' in viewer_page
    assert 'data-testid="state-form"' not in viewer_page


def test_an_industry_class_change_from_a_day_is_recorded_from_the_enterprise_page(world: World) -> None:
    e1 = world.enterprises["E1"]
    client = world.client("city_admin")
    response = client.post(
        f"/registry/enterprises/{e1.uscc}/history/", {"valid_from": "2025-04-01", "industry": "c3311"}, follow=True
    )
    assert "已记录自2025-04-01起的状态变更" in response.content.decode()
    assert list(
        EnterpriseVersion.objects.filter(enterprise=e1).order_by("pk").values_list("valid_to", "industry_id")
    ) == [(dt.date(2025, 3, 31), "C3976"), (None, "C3311")]
    # A code that is no 小类 is refused with the registry's message, and nothing is recorded.
    refused = client.post(
        f"/registry/enterprises/{e1.uscc}/history/", {"valid_from": "2025-06-01", "industry": "C39"}, follow=True
    )
    assert "行业代码“C39”不是小类，请填写4位小类代码（如 C3976）" in refused.content.decode()
    assert EnterpriseVersion.objects.filter(enterprise=e1).count() == 2


def test_a_wrong_date_of_a_move_is_corrected_from_the_enterprise_page(world: World) -> None:
    e1 = world.enterprises["E1"]
    client = world.client("district_jiangxia")
    client.post(f"/registry/enterprises/{e1.uscc}/history/", {"valid_from": "2025-07-01", "park": "PB"})
    moved = EnterpriseVersion.objects.get(enterprise=e1, valid_to=None)
    page = client.get(f"/registry/enterprises/{e1.uscc}/").content.decode()
    assert f'data-testid="correct-{moved.pk}"' in page
    response = client.post(
        f"/registry/enterprises/{e1.uscc}/history/{moved.pk}/correct/", {"valid_from": "2025-05-01"}, follow=True
    )
    assert "已将该段历史的起始日期更正为2025-05-01" in response.content.decode()
    assert list(
        EnterpriseVersion.objects.filter(enterprise=e1).order_by("pk").values_list("valid_from", "valid_to")
    ) == [(None, dt.date(2025, 4, 30)), (dt.date(2025, 5, 1), None)]
    # The first version has no start to correct: the service's refusal is shown, nothing changes.
    first = EnterpriseVersion.objects.get(enterprise=e1, valid_from=None)
    refused = client.post(
        f"/registry/enterprises/{e1.uscc}/history/{first.pk}/correct/", {"valid_from": "2024-01-01"}, follow=True
    )
    assert ERR_FIRST_VERSION in refused.content.decode()


def test_a_parks_change_and_its_wrong_date_are_recorded_from_the_park_page(world: World) -> None:
    client = world.client("city_admin")
    page = client.get("/registry/parks/PB/").content.decode()
    assert 'data-testid="state-form"' in page
    response = client.post(
        "/registry/parks/PB/history/", {"valid_from": "2025-01-01", "green_level": "provincial"}, follow=True
    )
    assert "已记录自2025-01-01起的状态变更" in response.content.decode()
    version = ParkVersion.objects.get(park__code="PB", valid_to=None)
    assert (version.valid_from, version.green_level) == (dt.date(2025, 1, 1), "provincial")
    client.post(f"/registry/parks/PB/history/{version.pk}/correct/", {"valid_from": "2024-10-01"})
    version.refresh_from_db()
    assert version.valid_from == dt.date(2024, 10, 1)
    # Back to no green level ("none" in the form, the empty code in the data).
    client.post("/registry/parks/PB/history/", {"valid_from": "2025-06-01", "green_level": "none"})
    assert ParkVersion.objects.get(park__code="PB", valid_to=None).green_level == ""
    # The smart-platform flag says it is not what the coverage reads (one source: the annual data).
    assert 'data-testid="smart-source"' in page
    # A district user sees no park form (the park's type, status and green level are the city's).
    district_page = world.client("district_jiangxia").get("/registry/parks/PB/").content.decode()
    assert 'data-testid="state-form"' not in district_page

"""The holiday table's keepers (city admin, system admin) are warned when it lacks this year or, from
November, the next (once a session, and on the 工作台 and 啄木鸟 pages); other roles are not (they see
the flag on casework pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import World
from yuanqu.core.models import CalendarYear


def covered(*years: int) -> None:
    for year in years:
        CalendarYear.objects.update_or_create(year=year, defaults={"complete": True, "source": "测试"})


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 6, 1), []),  # 2026 is covered; 2027 is not published before November
        (dt.date(2026, 11, 1), [2027]),
        (dt.date(2027, 1, 4), [2027]),
        (dt.date(2028, 11, 30), [2028, 2029]),
    ],
)
def test_it_lists_the_years_ahead_the_table_lacks(db: None, today: dt.date, expected: list[int]) -> None:
    CalendarYear.objects.filter(year__gte=2027).delete()
    covered(2026)
    assert CalendarYear.missing_ahead(today) == expected


def test_an_incomplete_year_counts_as_missing(db: None) -> None:
    CalendarYear.objects.update_or_create(year=2026, defaults={"complete": False})
    assert CalendarYear.missing_ahead(dt.date(2026, 3, 1)) == [2026]


def test_the_keepers_see_the_warning_once_a_session_and_where_deadlines_are(world: World) -> None:
    # It used to repeat on every page, after every success message; now the first page of a session
    # shows it, and afterwards only the 工作台 and the 啄木鸟 pages, whose deadlines it concerns.
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year=this_year).delete()
    for persona in ("city_admin", "sysadmin"):
        client = world.client(persona)
        html = client.get("/registry/parks/").content.decode()
        assert 'data-testid="holiday-warning"' in html, persona
        banner = html.split('data-testid="holiday-warning">', 1)[1].split("</div>", 1)[0]
        assert banner.startswith(str(this_year)) and "年的节假日安排尚未录入节假日表" in banner
        for url in ("/registry/parks/", "/cockpit/", "/core/me/"):
            assert 'data-testid="holiday-warning"' not in client.get(url).content.decode(), (persona, url)
        for url in ("/core/workbench/", "/casework/board/"):
            assert 'data-testid="holiday-warning"' in client.get(url).content.decode(), (persona, url)
    for persona in ("city_viewer", "district_jiangxia", "park_operator", "handler"):
        html = world.client(persona).get("/registry/parks/").content.decode()
        assert 'data-testid="holiday-warning"' not in html, persona


def test_the_warning_goes_once_the_years_are_entered(world: World) -> None:
    today = timezone.localdate()
    covered(today.year, today.year + 1)
    html = world.client("city_admin").get("/registry/parks/").content.decode()
    assert 'data-testid="holiday-warning"' not in html


def test_the_warning_speaks_english_after_the_switch(world: World) -> None:
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year=this_year).delete()
    client = world.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/registry/parks/").content.decode()
    banner = html.split('data-testid="holiday-warning">', 1)[1].split("</div>", 1)[0]
    assert banner.startswith(f"The holiday schedule for {this_year}") and "is not in the holiday table yet" in banner


def test_the_banner_link_opens_for_the_city_administrator_and_the_year_is_audited(world: World) -> None:
    from yuanqu.core.models import AuditLog

    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year=this_year).delete()
    client = world.client("city_admin")
    html = client.get("/registry/parks/").content.decode()
    banner = html.split('data-testid="holiday-warning">', 1)[1].split("</div>", 1)[0]
    link = banner.split('href="', 1)[1].split('"', 1)[0]
    assert client.get(link).status_code == 200
    added = client.post(f"{link}add/", {"year": this_year, "complete": "on", "source": "国务院办公厅通知"})
    assert added.status_code == 302, added.content.decode()[:500]
    assert CalendarYear.objects.get(year=this_year).complete
    entry = AuditLog.objects.filter(object_type="core.CalendarYear").latest("id")
    assert entry.actor == world.users["city_admin"] and entry.action == "create"


def test_the_holiday_table_stays_closed_to_other_staff(world: World) -> None:
    viewer = world.users["city_viewer"]
    viewer.is_staff = True  # even if someone ticks the staff box
    viewer.save(update_fields=["is_staff"])
    assert world.client("city_viewer").get("/admin/core/calendaryear/").status_code == 403

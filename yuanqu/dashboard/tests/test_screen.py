"""The cockpit's 大屏 mode: parks in the ranking by names that stay apart when shortened, with the
full name as the link's title, and a clock with the data's as-of period."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from conftest import World
from yuanqu.dashboard.templatetags.dashboard_tags import short_park_name
from yuanqu.dashboard.tests import builders
from yuanqu.registry.models import Park


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A page requested in English leaves English active in this thread: later tests expect Chinese.
    yield
    translation.deactivate()


def test_it_keeps_the_distinguishing_tail_of_a_long_name() -> None:
    names = ["江岸都市工业园·堤角二期", "江岸都市工业园·后湖二期", "江岸都市工业园·丹水池"]
    shortened = [short_park_name(name) for name in names]
    assert shortened == ["江岸都市…·堤角二期", "江岸都市…·后湖二期", "江岸都市…园·丹水池"]
    assert short_park_name("江夏现代产业园") == "江夏现代产业园"


def test_it_shows_short_names_with_the_full_name_as_title_on_the_big_screen(world: World) -> None:
    Park.objects.filter(code="PA").update(name="江夏现代产业园·纸坊光谷片区二期")
    builders.indicator_values(world)
    client = world.client("city_admin")
    screen = client.get("/cockpit/?indicator=revenue&period=2025&screen=1").content.decode()
    assert 'title="江夏现代产业园·纸坊光谷片区二期">江夏现代…谷片区二期</a>' in screen
    assert 'data-testid="screen-clock"' in screen and "数据截至 2025年" in screen
    assert '<body class="screen-mode"' in screen
    page = client.get("/cockpit/?indicator=revenue&period=2025").content.decode()
    assert ">江夏现代产业园·纸坊光谷片区二期</a>" in page
    assert 'data-testid="screen-clock"' not in page


def test_the_freshness_table_names_the_import_kind_in_the_pages_language(world: World) -> None:
    from yuanqu.stats.models import ImportBatch

    ImportBatch.objects.create(
        kind=ImportBatch.Kind.MONTHLY,
        status=ImportBatch.Status.APPLIED,
        district=world.districts["jiangxia"],
        uploaded_by=world.users["district_jiangxia"],
    )
    client = world.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/cockpit/").content.decode()
    freshness = html.split('data-testid="freshness"', 1)[1].split("</section>", 1)[0]
    assert "Monthly enterprise statistics (above-scale)" in freshness
    assert "企业月度统计" not in freshness

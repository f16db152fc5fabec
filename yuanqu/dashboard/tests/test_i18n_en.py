"""The cockpit, a park profile and a district page in English after the language switch (headings,
table headers, chart words, indicator names from the catalogue's `name_en`), Chinese by default,
and the app's catalogue: every entry translated and the committed .mo in step with the .po."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from conftest import World
from yuanqu.core.tests.test_i18n import section, switch
from yuanqu.dashboard.tests import builders
from yuanqu.registry.models import District, Park

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    yield
    translation.deactivate()


def english(world: World, persona: str = "city_admin") -> Any:
    client = world.client(persona)
    switch(client, "en")
    return client


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def chrome(html: str) -> str:
    """Headings, table headers, captions, labels and buttons of the page's main part."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<select\b.*?</select>", "", main, flags=re.S)  # the choices are data
    parts = re.findall(r"<(h1|h2|h3|th|dt|label|caption|button)\b[^>]*>(.*?)</\1>", main, re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", body) for _tag, body in parts)


def han_free(text: str, *, allowed: tuple[str, ...] = ()) -> None:
    for value in sorted(allowed, key=len, reverse=True):
        text = text.replace(value, "")
    assert not HAN.search(text), [line for line in text.splitlines() if HAN.search(line)]


def json_script(html: str, element_id: str) -> Any:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def data_names(world: World) -> tuple[str, ...]:
    """Names entered as data (parks, districts): they stay as entered."""
    return (*(p.name for p in Park.objects.all()), *(d.name for d in District.objects.all()))


def test_it_shows_the_cockpit_in_english(dash: World) -> None:
    html = get(english(dash), "/cockpit/?indicator=revenue&period=2025")
    assert '<html lang="en">' in html
    assert "<h1>Wuhan Industrial Parks Cockpit" in html
    assert ">Export to Excel</a>" in html
    ranking = section(html, "ranking")
    assert "Ranking by Operating revenue" in ranking
    assert "<th>Park</th>" in ranking and "10,000 yuan" in ranking
    assert "<th>Latest period</th>" in section(html, "trend-table")
    assert "Response rate" in section(html, "case-rates")
    data = json_script(html, "cockpit-data")
    assert data["period"] == "2025"
    assert data["indicator"]["name"] == "Operating revenue"
    assert data["labels"]["previous"] == "Same period last year"
    assert data["labels"]["units"]["万元"] == "10,000 yuan"
    assert [t["name"] for t in data["annual"]][:1] == ["Operating revenue"]
    han_free(chrome(html), allowed=data_names(dash))
    han_free(section(html, "cockpit-filters").split("<select")[0])


def test_it_shows_a_park_profile_in_english(evaluated: builders.Evaluated, dash: World) -> None:
    html = get(english(dash), "/cockpit/parks/PA/")
    assert "· Park file</small>" in html
    assert "<h2>Basic information</h2>" in html
    identity = section(html, "identity")
    assert "<dt>Recognition status</dt>" in identity and "km²" in identity
    indicators = section(html, "indicators")
    assert "Rank within type</th>" in indicators and "Operating revenue" in indicators
    evaluation = section(html, "evaluation")
    assert "Development quality" in evaluation or "Industrial agglomeration" in evaluation
    assert "<dt>Overall score</dt>" in evaluation
    completeness = section(html, "completeness")
    assert "Park boundary" in completeness and "Profile indicators" in completeness
    han_free(re.sub(r"<[^>]+>", " ", evaluation))
    han_free(re.sub(r"<[^>]+>", " ", completeness), allowed=("2024年", "2025年"))  # not in the profile
    han_free(chrome(html), allowed=(*data_names(dash), "光电子器件制造"))
    data = json_script(html, "profile-data")
    assert data["labels"]["yoy_axis"] == "YoY %"


def test_it_shows_a_district_page_in_english(dash: World) -> None:
    html = get(english(dash, "district_jiangxia"), "/cockpit/districts/420115/")
    assert "· Park files ·" in html
    parks = section(html, "district-parks")
    assert "<th>Park</th>" in parks and "Operating revenue" in parks and "<th>Type</th>" in parks
    assert "Modern Industrial Park" in parks
    assert json_script(html, "cockpit-data")["indicator"]["name"] == "Operating revenue"
    han_free(chrome(html), allowed=data_names(dash))


def test_it_stays_chinese_by_default(dash: World) -> None:
    html = get(dash.client("city_admin"), "/cockpit/?indicator=revenue&period=2025")
    assert "<h1>武汉市工业园区驾驶舱" in html
    assert "营业收入排名" in section(html, "ranking")
    assert json_script(html, "cockpit-data")["period"] == "2025年"
    assert "Cockpit" not in html


def test_it_names_the_target_tiles_in_english(dash: World) -> None:
    html = get(english(dash), "/cockpit/?indicator=revenue&period=2025")
    tiles = section(html, "target-tiles")
    assert ">Modern industrial parks established</a>" in tiles
    assert 'title="Modern industrial parks established (Whole city)"' in tiles
    names = re.findall(r'class="target-name"[^>]*>(.*?)</a>', tiles)
    assert names and not any(HAN.search(name) for name in names), names


def test_it_names_the_target_tiles_in_chinese_by_default(dash: World) -> None:
    html = get(dash.client("city_admin"), "/cockpit/?indicator=revenue&period=2025")
    tiles = section(html, "target-tiles")
    assert 'title="建成现代产业园数量（全市）">建成现代产业园数量</a>' in tiles
    assert "Modern industrial parks established" not in tiles


def test_the_tiles_keep_the_chinese_name_for_the_reports(dash: World) -> None:
    from yuanqu.dashboard.selectors import target_tiles
    from yuanqu.targets.selectors import target_rows

    with translation.override("en"):
        tile = next(t for t in target_tiles(target_rows(dash.users["city_admin"])) if t.code == "park_count_modern")
        assert tile.display_name == "Modern industrial parks established"
    assert tile.name == "建成现代产业园数量"  # the .docx quarterly report prints `name`

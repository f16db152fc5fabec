"""The indicator pages in English after the language switch: headings, table headers, definitions,
units and periods, and the indicator names from the pack's name_en; the pack's texts without an
English version (standards, notes) stay Chinese; and the app's catalogue is complete and compiled."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from conftest import World
from yuanqu.indicators.catalogue import indicator
from yuanqu.indicators.describe import describe
from yuanqu.indicators.templatetags.indicator_format import period_label, unit_label

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # The locale middleware activates the request's language in this thread and leaves it active.
    yield
    translation.deactivate()


def switch(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def section(html: str, testid: str) -> str:
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with data-testid={testid}"
    return match.group(2)


def head(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match, "no heading"
    return match.group(1)


def headers(html: str) -> list[str]:
    return re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", html, re.S)


def english(world: World, persona: str = "city_admin") -> Client:
    client = world.client(persona)
    switch(client, "en")
    return client


def test_the_catalogue_is_in_english(computed: World) -> None:
    html = page(english(computed), "/indicators/")

    assert head(html).startswith("Indicator catalogue <small>policy pack indicators.yaml, ")
    table = section(html, "indicator-catalogue")
    assert headers(table) == [
        "Code",
        "Indicator",
        "Unit",
        "Level",
        "Definition",
        "Statistical standard",
        "Latest city value (year)",
    ]
    assert '>Operating revenue</a><br><span class="hint">营业收入</span>' in table
    assert "<td>10k yuan</td>" in table and '<td>Park<br><span class="hint">higher is better</span></td>' in table
    assert "Enterprise annual data·total Operating revenue (10k yuan)" in table
    assert "Park basis (enterprises inside parks only)" in table
    assert "<h2>Industry sets</h2>" in html
    chrome = re.sub(r"<td>(?:(?!</td>).)*?</td>\s*</tr>", "", table, flags=re.S)  # the standard column
    assert not HAN.search("".join(headers(table)) + head(html)), chrome


def test_an_indicator_page_is_in_english(computed: World) -> None:
    html = page(english(computed), "/indicators/revenue/?period=2025")

    assert head(html) == "Operating revenue <small>Whole city: Whole city · 2025</small>"
    for title in ("Value", "Definition", "Trend"):
        assert f"<h2>{title}</h2>" in html, title
    assert re.search(r"<h2>Level below: District / zone \(\d+\)</h2>", html)
    assert re.search(r"<h2>Level below: Park \(\d+\)</h2>", html)
    value = section(html, "indicator-value")
    assert value.endswith("</strong> 10k yuan")
    terms = section(html, "indicator-terms")
    assert headers(terms) == ["Term", "Meaning", "Value"]
    assert "Enterprise annual data·total Operating revenue (10k yuan)" in terms
    definition = section(html, "indicator-definition")
    assert "<dt>Formula</dt>" in definition and "<dd>10k yuan (higher is better)</dd>" in definition
    assert "<dd>Park</dd>" in definition
    assert "View the enterprises behind this value →" in html
    assert '<option value="2025" selected>2025</option>' in html
    assert '"years": "Year values"' in html  # the chart's series names
    visible = re.sub(r"<(dd|td|option|script)[^>]*>.*?</\1>", "", re.split(r"<main[^>]*>", html)[1], flags=re.S)
    assert not HAN.search(visible), HAN.findall(visible)


def test_the_drill_down_is_in_english(computed: World) -> None:
    html = page(english(computed), "/indicators/revenue/units/?period=2025")
    assert head(html).startswith("Operating revenue · breakdown by enterprises <small>Whole city · 2025")
    table = section(html, "drill-rows")
    assert headers(table)[:4] == ["Code", "Name", "Park", "District"]
    assert "revenue (10k yuan)" in headers(table)[4]


def test_the_pages_stay_chinese_by_default(computed: World) -> None:
    html = page(computed.client("city_admin"), "/indicators/revenue/?period=2025")
    assert head(html) == "营业收入 <small>全市：全市 · 2025年</small>"
    assert "<h2>定义</h2>" in html and "Operating revenue" not in html


def test_units_periods_and_definitions_follow_the_language() -> None:
    item = indicator("tax_per_mu")
    with translation.override("zh-hans"):
        assert unit_label("万元/亩") == "万元/亩"
        assert period_label("2026年1-6月") == "2026年1-6月"
        assert period_label("2026年第2季度") == "2026年第2季度"
        assert describe(item)["name"] == "亩均税收"
    with translation.override("en"):
        assert unit_label("万元/亩") == "10k yuan/mu"
        assert unit_label("平方公里") == "km²"
        assert period_label("2025年") == "2025"
        assert period_label("2026年1-2月") == "Jan–Feb 2026"
        assert period_label("2026年1-6月") == "Jan–Jun 2026"
        assert period_label("2026年第2季度") == "Q2 2026"
        assert period_label("江夏区") == "江夏区"
        described = describe(item)
        assert described["name"] == "Tax per mu of land" and described["other_name"] == "亩均税收"
        assert described["direction"] == "higher is better"
        assert not any(HAN.search(text) for _name, text in described["terms"])  # type: ignore[attr-defined]

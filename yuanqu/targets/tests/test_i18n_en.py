"""The target board, a target, the task board and a task in English after the language switch:
headings, table headers, status names (已达标/按进度/滞后/严重滞后), units and periods; the pack's
names of targets, tasks and units have no English version and stay Chinese; and the app's catalogue
is complete and compiled."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats
from yuanqu.targets.models import SupervisedTask

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # The locale middleware activates the request's language in this thread and leaves it active.
    yield
    translation.deactivate()


@pytest.fixture
def computed(world: Any) -> None:
    add_stats(world)
    indicators_compute_all()


def switch(client: Any, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def page(client: Any, url: str) -> str:
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


def chrome(html: str) -> str:
    """The page's own content without data values: headings, cells, definitions, links, options and
    scripts removed (the tests check headings on their own)."""
    main = html.split("<main>")[1].split("</main>")[0]
    # The heading names a target or task (and its group) of the pack, which has no English names; the
    # policy's wording and an indicator's statistical standard are quoted as they are.
    main = re.sub(r"<h1>.*?</h1>", "", main, flags=re.S)
    main = re.sub(r'<p class="hint">Policy text: .*?</p>', "", main, flags=re.S)
    main = re.sub(r'<section class="card" data-testid="definition">.*?</section>', "", main, flags=re.S)
    main = re.sub(r"<h2>Report progress \(.*?\)</h2>", "", main)  # the name of the reporting unit
    text = re.sub(r"<(td|dd|li|option|script|textarea)[^>]*>.*?</\1>", "", main, flags=re.S)
    text = re.sub(r"<a [^>]*>.*?</a>", "", text, flags=re.S)
    return re.sub(r'<div class="meta">.*?</div>|<p>.*?</p>', "", text, flags=re.S)


def assert_no_chinese(text: str) -> None:
    found = HAN.search(text)
    assert not found, f"Chinese left: …{text[max(0, found.start() - 80) : found.end() + 40]}…"


def english(client: Any) -> Any:
    switch(client, "en")
    return client


def test_the_target_board_is_in_english(world: Any, computed: None) -> None:
    html = page(english(world.client("city_admin")), "/targets/")

    assert head(html) == "2027 target board <small>Baseline 2024 · deadline 2027-12-31</small>"
    assert headers(section(html, "target-table")) == [
        "Target",
        "Scope",
        "Target value",
        "2024 baseline",
        "Latest value",
        "Progress",
        "Status",
        "Annual growth still required",
        "2027 projection (90% interval)",
        "Responsible unit",
    ]
    tiles = html.split('data-testid="status-tiles">')[1].split("</section>")[0]
    for name in ("Achieved", "On track", "Lagging", "Seriously lagging"):
        assert f"<span>{name}</span>" in tiles, name
    table = section(html, "target-table")
    assert re.search(r'<span class="status status-\w+">(Achieved|On track|Lagging|Seriously lagging)</span>', table)
    assert "<td>Whole city</td>" in table
    assert 'data-label-progress="Target progress"' in html
    board = json.loads(html.split('id="board-data" type="application/json">')[1].split("</script>")[0])
    assert {row["status_name"] for row in board} <= {"Achieved", "On track", "Lagging", "Seriously lagging", "No data"}
    assert "<h2>Constraint targets (checked case by case, no progress tracked)</h2>" in html
    assert_no_chinese(chrome(html))


def test_a_target_page_is_in_english(world: Any, computed: None) -> None:
    html = page(english(world.client("city_admin")), "/targets/high_tech_enterprises/")

    assert "<small>Whole city · deadline 2027-12-31</small>" in head(html)
    facts = section(html, "target-facts")
    for term in ("Target", "2024 baseline value", "Latest value", "Progress", "Status", "2027 projection"):
        assert f"<dt>{term}</dt>" in facts, term
    assert '<dd data-testid="latest">1 (2025)</dd>' in facts
    assert "(time elapsed " in facts and "Method: " in facts
    definition = section(html, "definition")
    assert ">Certified high-tech enterprises</a> (firms): " in definition
    assert "<h2>Indicator definition</h2>" in definition
    assert re.search(r"<h2>District contributions \(2025(, change since 2024)?\)</h2>", html)
    chart = json.loads(html.split('id="series-data" type="application/json">')[1].split("</script>")[0])
    assert chart["labels"]["projection"] == "2027 projection" and chart["unit"] == "firms"
    assert_no_chinese(chrome(html))


def test_the_task_board_is_in_english(world: Any, tasks: dict[str, Any]) -> None:
    html = page(english(world.client("city_admin")), "/targets/tasks/")

    assert head(html) == "Task supervision <small>18 key tasks and 6 safeguards</small>"
    assert headers(section(html, "task-table")) == [
        "Task",
        "Lead unit",
        "Supporting units",
        "Status",
        "Latest progress",
        "Overdue reports",
        "Reminders",
        "Last report",
    ]
    table = section(html, "task-table")
    assert '<span class="status status-not_started">Not started</span>' in table
    assert "Safeguard (1) " in table
    filters = section(html, "task-filters")
    assert '<option value="safeguard">Safeguards</option>' in filters
    assert '<option value="in_progress">In progress</option>' in filters
    assert_no_chinese(chrome(html))


def test_a_task_page_is_in_english(world: Any, tasks: dict[str, Any]) -> None:
    client = Client()
    client.force_login(tasks["jxj"])
    html = page(english(client), "/targets/tasks/task_14/")

    task = SupervisedTask.objects.get(code="task_14")
    assert head(html).startswith(f"{task.number}.{task.title} <small>")
    facts = section(html, "task-facts")
    for term in ("Responsible units (original text)", "Lead unit", "Supporting units", "Status"):
        assert f"<dt>{term}</dt>" in facts, term
    assert "<h2>Report progress (市经信局)</h2>" in html
    quarter = timezone.localdate()
    assert f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}</option>" in html
    assert "<h2>Progress reports (0)</h2>" in html and "No reports yet" in html
    assert_no_chinese(chrome(html))

    response = client.post(
        "/targets/tasks/task_14/report/",
        {"period": quarter.replace(day=1).isoformat(), "text": "平台建设方案已印发", "percent_done": "35"},
        follow=True,
    )
    shown = response.content.decode()
    assert re.search(r"Progress for Q\d \d{4} reported", shown)
    assert re.search(r"市经信局 · Q\d \d{4} · 35% complete", shown)


def test_the_pages_stay_chinese_by_default(world: Any, computed: None) -> None:
    html = page(world.client("city_admin"), "/targets/")
    assert head(html) == "2027年目标看板 <small>基期 2024 年 · 截止 2027-12-31</small>"
    assert "Target board" not in html and "<th>状态</th>" in html

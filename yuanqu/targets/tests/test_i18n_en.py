"""The target board, a target, the task board and a task in English after the language switch:
headings, table headers, status names (已达标/按进度/滞后/严重滞后), units and periods; the names of
targets, task groups, tasks and safeguards in the pack's English (name_en / title_en), while the units
have no English version and stay Chinese; and the app's catalogue is complete and compiled."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from conftest import World
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
def computed(world: World) -> None:
    add_stats(world)
    indicators_compute_all()


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


def chrome(html: str) -> str:
    """The page's own content without data values: headings, cells, definitions, links, options and
    scripts removed (the tests check headings on their own)."""
    main = re.split(r"<main[^>]*>", html)[1].split("</main>")[0]
    # The heading names a target or task (and its group) of the pack (their English names are checked on
    # their own); the policy's wording and an indicator's statistical standard are quoted as they are.
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


def english(client: Client) -> Any:
    switch(client, "en")
    return client


def test_the_target_board_is_in_english(world: World, computed: None) -> None:
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


def test_a_target_page_is_in_english(world: World, computed: None) -> None:
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


def test_the_task_board_is_in_english(world: World, tasks: dict[str, Any]) -> None:
    html = page(english(world.client("city_admin")), "/targets/tasks/")

    assert head(html) == "Task supervision <small>18 key tasks and 6 safeguards</small>"
    assert headers(section(html, "task-table")) == [
        "Task",
        "Lead unit",
        "Supporting units",
        "Status",
        "Deadline",
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
    assert '<option value="due">By deadline</option>' in filters
    assert_no_chinese(chrome(html))


def test_a_task_page_is_in_english(world: World, tasks: dict[str, Any]) -> None:
    client = Client()
    client.force_login(tasks["jxj"])
    html = page(english(client), "/targets/tasks/task_14/")

    assert head(html) == (
        "14. Accelerate the smart transformation of parks"
        " <small>Strengthen functions and raise quality to enhance support capacity</small>"
    )
    # The targets the task serves, by their English names.
    assert ">Smart-platform coverage of key parks</a>" in section(html, "task-facts")
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


def test_the_pages_stay_chinese_by_default(world: World, computed: None) -> None:
    html = page(world.client("city_admin"), "/targets/")
    assert head(html) == "2027年目标看板 <small>基期 2024 年 · 截止 2027-12-31</small>"
    assert "Target board" not in html and "<th>状态</th>" in html


# ── names from the pack (name_en / title_en) ────────────────────────────────────────────────


def test_the_target_board_names_the_targets_in_english(world: World, computed: None) -> None:
    html = page(english(world.client("city_admin")), "/targets/")
    table = section(html, "target-table")
    assert '<a href="/targets/park_count_modern/">Modern industrial parks established</a>' in table
    assert ">High-tech enterprises</a>" in table and "建成现代产业园数量" not in table
    # The constraints are listed by their English names too.
    assert "<td>Award cap for operators of modern industrial parks selected as Renowned Industrial Parks</td>" in html
    board = json.loads(html.split('id="board-data" type="application/json">')[1].split("</script>")[0])
    names = {row["code"]: row["name"] for row in board}
    assert names["park_count_modern"] == "Modern industrial parks established"
    assert not any(HAN.search(name) for name in names.values()), names


def test_the_target_board_names_the_targets_in_chinese_by_default(world: World, computed: None) -> None:
    html = page(world.client("city_admin"), "/targets/")
    table = section(html, "target-table")
    assert '<a href="/targets/park_count_modern/">建成现代产业园数量</a>' in table
    assert "<td>现代产业园“产业名园”运营主体奖励上限</td>" in html
    assert "Modern industrial parks established" not in html
    board = json.loads(html.split('id="board-data" type="application/json">')[1].split("</script>")[0])
    assert {row["code"]: row["name"] for row in board}["park_count_modern"] == "建成现代产业园数量"


def test_a_target_page_is_titled_in_the_page_language(world: World, computed: None, tasks: dict[str, Any]) -> None:
    html = page(english(world.client("city_admin")), "/targets/smart_platform_coverage/")
    assert head(html).startswith("Smart-platform coverage of key parks <small>")
    assert "<title>Smart-platform coverage of key parks · " in html
    # The task that serves the target, by its English title.
    assert ">14. Accelerate the smart transformation of parks</a>" in section(html, "definition")
    translation.deactivate()

    html = page(world.client("city_admin"), "/targets/smart_platform_coverage/")
    assert head(html).startswith("重点园区智慧化平台覆盖率 <small>")
    assert ">14.加快园区智慧化转型</a>" in section(html, "definition")
    assert "Smart-platform" not in html


def test_the_task_board_names_tasks_groups_and_safeguards_in_english(world: World, tasks: dict[str, Any]) -> None:
    html = page(english(world.client("city_admin")), "/targets/tasks/")
    table = section(html, "task-table")
    assert '<a href="/targets/tasks/task_02/">2. Build modern industrial parks</a>' in table
    assert '<span class="hint">Optimise the layout and positioning to build a tiered park system</span>' in table
    assert '<a href="/targets/tasks/safeguard_4/">Safeguard (4) Increase fiscal support</a>' in table
    assert "建设现代产业园" not in table and "优布局明定位" not in table
    filters = section(html, "task-filters")
    innovation = "Pool resources and promote commercialisation to stimulate innovation"
    assert f'<option value="innovation">{innovation}</option>' in filters


def test_the_task_board_stays_chinese_by_default(world: World, tasks: dict[str, Any]) -> None:
    html = page(world.client("city_admin"), "/targets/tasks/")
    table = section(html, "task-table")
    assert '<a href="/targets/tasks/task_02/">2.建设现代产业园</a>' in table
    assert '<span class="hint">优布局明定位，构建梯次体系</span>' in table
    assert '<a href="/targets/tasks/safeguard_4/">保障措施（4）加大财政支持</a>' in table
    assert '<option value="innovation">聚资源促转化，激发创新活力</option>' in section(html, "task-filters")
    assert "Build modern industrial parks" not in html


def test_a_task_page_stays_chinese_by_default(world: World, tasks: dict[str, Any]) -> None:
    client = Client()
    client.force_login(tasks["jxj"])
    html = page(client, "/targets/tasks/task_14/")
    assert head(html) == "14.加快园区智慧化转型 <small>强功能提品质，增强保障能力</small>"
    assert ">重点园区智慧化平台覆盖率</a>" in section(html, "task-facts")


def test_the_sync_stores_the_english_titles_beside_the_chinese(world: World, tasks: dict[str, Any]) -> None:
    task = SupervisedTask.objects.get(code="task_02")
    assert (task.title, task.title_en) == ("建设现代产业园", "Build modern industrial parks")
    assert task.group_title_en == "Optimise the layout and positioning to build a tiered park system"
    safeguard = SupervisedTask.objects.get(code="safeguard_4")
    assert (safeguard.title_en, safeguard.group_title, safeguard.group_title_en) == ("Increase fiscal support", "", "")
    # str() (exports, audit) stays Chinese whatever the language.
    with translation.override("en"):
        assert str(task) == "2.建设现代产业园" and task.display_label == "2. Build modern industrial parks"


def test_the_migration_gives_loaded_tasks_their_english_titles(world: World, tasks: dict[str, Any]) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("yuanqu.targets.migrations.0002_supervisedtask_title_en")
    SupervisedTask.objects.update(title_en="", group_title_en="")
    migration.fill(apps, None)
    task = SupervisedTask.objects.get(code="task_02")
    assert (task.title_en, task.group_title_en) == (
        "Build modern industrial parks",
        "Optimise the layout and positioning to build a tiered park system",
    )

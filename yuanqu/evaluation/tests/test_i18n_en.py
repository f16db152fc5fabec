"""The evaluation pages in English after the language switch (headings, table headers, the chart's
words, pack names with `name_en`), Chinese by default, and the app's catalogue: every entry
translated and the committed .mo in step with the .po."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from yuanqu.core.tests.test_i18n import section, switch
from yuanqu.evaluation import labels, services
from yuanqu.evaluation.engine.aggregate import AGGREGATION_LABELS
from yuanqu.evaluation.engine.framework import NORMALISATION_METHODS, method_label
from yuanqu.evaluation.engine.impute import IMPUTATION_LABELS
from yuanqu.evaluation.engine.uncertainty import ASSUMPTION_LABELS
from yuanqu.evaluation.models import EvaluationRun

from .conftest import YEAR, EvalWorld
from .test_mujun import graded  # noqa: F401  (the fixture)

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    yield
    translation.deactivate()


RUN_PARAMS = {"runs": 100}


@pytest.fixture
def ew(module_ew: EvalWorld) -> EvalWorld:
    """The world and the run are built once for this module (conftest `_module_run`)."""
    return module_ew


@pytest.fixture
def run(module_run: EvaluationRun) -> EvaluationRun:
    return module_run


def english(ew: EvalWorld, persona: str = "city_admin") -> Any:
    client = ew.world.client(persona)
    switch(client, "en")
    return client


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def chrome(html: str) -> str:
    """Headings, table headers, captions and labels of the page's main part (data cells excluded)."""
    main = html[html.index("<main") : html.index("</main>")]
    parts = re.findall(r"<(h1|h2|h3|th|dt|label|summary|caption|button)\b[^>]*>(.*?)</\1>", main, re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", text) for _tag, text in parts)


def han_free(text: str, *, allowed: tuple[str, ...] = ()) -> None:
    for value in allowed:
        text = text.replace(value, "")
    assert not HAN.search(text), [line for line in text.splitlines() if HAN.search(line)]


def test_it_shows_the_run_list_in_english(ew: EvalWorld, run: EvaluationRun) -> None:
    html = get(english(ew), "/evaluation/")
    assert '<html lang="en">' in html
    assert '<h1>Park evaluation <small class="hint">Renowned Industrial Park selection' in html
    table = section(html, "run-table")
    assert "<th>Status</th>" in table and "<th>Initiated by</th>" in table
    assert ">Completed<" in table
    han_free(chrome(html))


def test_it_shows_a_run_with_english_headings_flags_and_chart_words(ew: EvalWorld, run: EvaluationRun) -> None:
    html = get(english(ew), f"/evaluation/runs/{run.pk}/")
    assert f"<h1>Park evaluation {YEAR} <small>#{run.pk} · Completed · List: Proposed (pending confirmation)" in html
    assert "Modern Industrial Park" in section(html, "ranking-modern")
    assert "Monte Carlo 100 runs" in section(html, "run-facts")
    assert "Weighted arithmetic mean" in section(html, "run-facts")
    chart = re.search(r'<script id="chart-modern" type="application/json">(.*?)</script>', html, re.S)
    assert chart and '"nominal": "Nominal rank"' in chart.group(1)
    names = [p.park.name for p in run.results.all()] + [p.district.name for p in run.results.all()]
    han_free(chrome(html), allowed=tuple(names))
    han_free(section(html, "run-facts"))


def test_it_shows_a_park_diagnosis_in_english(ew: EvalWorld, run: EvaluationRun) -> None:
    html = get(english(ew), f"/evaluation/runs/{run.pk}/parks/PA/")
    assert "Assessment and diagnosis 2025 · Modern Industrial Park · Evaluation #" in html
    assert "<h2>Overall result</h2>" in html
    dimensions = section(html, "dimensions")
    assert "<th>Dimension</th>" in dimensions and "Development quality" in dimensions
    assert not HAN.search(re.sub(r'class="[^"]*"', "", dimensions))
    indicators = section(html, "indicators")
    assert "Operating revenue" in indicators or "Taxes paid" in indicators
    assert "Top quartile of the type" in html
    radar = re.search(r'<script id="radar-data" type="application/json">(.*?)</script>', html, re.S)
    assert radar and "Median of the type" in radar.group(1) and "Development quality" in radar.group(1)
    han_free(chrome(html), allowed=("江夏现代产业园",))
    # The entry condition's text comes from the pack, which has no English for it.
    han_free(section(html, "diagnosis-facts"), allowed=("主导产业营业收入占比超过50%",))


def test_it_keeps_the_diagnosis_report_chinese_after_the_switch(
    ew: EvalWorld, run: EvaluationRun, settings: Settings, tmp_path: Path
) -> None:
    import io

    from docx import Document

    from yuanqu.jobs.context import job_execute
    from yuanqu.jobs.models import Job

    settings.MEDIA_ROOT, settings.JOBS_HEARTBEAT_SECONDS = tmp_path, 0
    client = english(ew)
    client.post(f"/evaluation/runs/{run.pk}/parks/PA/report.docx")  # starts the report's job
    job = Job.objects.get()
    job_execute(job.pk)
    job.refresh_from_db()
    page = get(client, f"/jobs/{job.pk}/")
    assert "The report is ready to download" in page and "2025 diagnosis report of 江夏现代产业园" in page
    response = client.get(job.result_url)
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "一、总体结果" in text
    assert "Strength" not in text and "Development quality" not in text


def test_it_shows_the_grades_page_in_english(graded: EvalWorld) -> None:  # noqa: F811
    services.enterprise_grades_compute(actor=graded.user("city_admin"), year=2025)
    html = get(english(graded), "/evaluation/grades/?year=2025")
    assert "<h1>Per-mu efficiency evaluation <small>2025</small></h1>" in html
    assert "<h2>Grade distribution by park</h2>" in html
    assert "<th>Enterprise</th>" in section(html, "grade-table")
    assert "Outside parks" in section(html, "distribution")
    han_free(chrome(html), allowed=("江夏现代产业园", "江夏都市工业园", "蔡甸特色产业园"))

    own = get(english(graded, "enterprise"), "/evaluation/grades/?year=2025")
    grade = section(own, "own-grade")
    assert "Class C (upgrading and transformation)" in grade
    assert "Tax per mu of land" in section(own, "why")
    han_free(chrome(own), allowed=("武汉甲光电科技有限公司",))


def test_it_stays_chinese_by_default(ew: EvalWorld, run: EvaluationRun) -> None:
    client = ew.world.client("city_admin")
    html = get(client, f"/evaluation/runs/{run.pk}/parks/PA/")
    assert "<h2>总体结果</h2>" in html and "发展质量" in section(html, "dimensions")
    assert "Overall result" not in html


def test_it_translates_stored_sentences_and_engine_labels() -> None:
    with translation.override("en"):
        assert labels.stored("园区尚未认定") == "The park has not yet been recognised"
        assert labels.stored("缺报指标 3 项，超过 2 项") == "3 indicators not reported, more than 2"
        assert labels.stored("特色产业园：名额 6 个，具备入选资格的园区仅 2 个") == (
            "Specialised Industrial Park: Quota of 6, but only 2 eligible parks"
        )
        assert labels.expected("不低于 10") == "At least 10"
        assert labels.observed("国家级") == "National"
    with translation.override("zh-hans"):
        assert labels.stored("缺报指标 3 项，超过 2 项") == "缺报指标 3 项，超过 2 项"
    engine = {
        *AGGREGATION_LABELS.values(),
        *IMPUTATION_LABELS.values(),
        *ASSUMPTION_LABELS.values(),
        *(method_label(m) for m in NORMALISATION_METHODS),
    }
    assert engine <= set(labels.ENGINE_LABELS)

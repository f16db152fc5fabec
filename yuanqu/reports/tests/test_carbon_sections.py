"""The 能碳 sections of the quarterly report and the 一园一档 report: the accounts of the fixture worked
by hand in energy's tests (江夏现代产业园 2025: 702.2222 t), scoped to the reader."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.intake.tests.conftest import import_file
from yuanqu.reports.documents import city_quarterly_docx, park_report_docx


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def accounts(world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    """Energy's hand-worked fixture imported, with the accounts rebuilt after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        import_fixture(world, lambda persona, kind, content: import_file(world, persona, kind, content))


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_park_report_has_the_parks_carbon_account(world: World, accounts: None) -> None:
    text = _text(park_report_docx(world.users["district_jiangxia"], world.parks["PA"]))
    assert "十、能碳" in text
    assert (
        "2025年园区内 1 家企业综合能耗 232.59 吨标准煤，二氧化碳排放 702.22 吨（范围一 217.94 吨，范围二 484.28 吨）"
        in text
    )
    assert "单位能耗碳排放（吨CO₂/吨标准煤）" in text and "3.0191" in text  # 702.2222 / 232.5922
    assert "零碳园区对标" in text
    assert "范围二电网排放因子取全国2022年0.5366 kgCO₂/kWh（该年度尚无公布的因子，沿用此前最近年度）" in text


def test_the_quarterly_report_has_the_districts_accounts_in_the_readers_scope(world: World, accounts: None) -> None:
    text = _text(city_quarterly_docx(world.users["city_admin"], dt.date(2025, 10, 1)))
    assert "八、能碳" in text
    assert "2025年可见范围内企业综合能耗 294.04 吨标准煤，二氧化碳排放 970.52 吨" in text
    assert "江夏区" in text and "江夏现代产业园" in text
    other = _text(city_quarterly_docx(world.users["district_caidian"], dt.date(2025, 10, 1)))
    assert "可见范围内尚无碳账户。" in other

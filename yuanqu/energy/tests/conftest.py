"""Energy test helpers: real spreadsheets through the intake pipeline (the intake's helpers), a
per-test media folder, and the figures of the fixture the tests recompute by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.intake.tests.conftest import import_file, texts, xlsx

__all__ = ["ANNUAL_HEADER", "MONTHLY_HEADER", "Importer", "texts", "xlsx"]

Importer = Callable[[str, str, bytes], Any]


@pytest.fixture
def imported(world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Importer:
    """Import a file as a persona, with what runs after commit (the recomputes) run as it would."""

    def run(persona: str, kind: str, content: bytes) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return import_file(world, persona, kind, content)

    return run


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    return media


ANNUAL_HEADER = [
    "统一社会信用代码",
    "年度",
    "外购电力（万千瓦时）",
    "其中：绿电（万千瓦时）",
    "自发自用可再生能源电力（千瓦时）",
    "天然气（万立方米）",
    "原煤（吨）",
    "柴油（吨）",
    "外购热力（吉焦）",
    "用水量（吨）",
]
MONTHLY_HEADER = ["统一社会信用代码", "报告期", "外购电力（千瓦时）", "天然气（立方米）"]

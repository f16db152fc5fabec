"""Fixtures of the cockpit and profile tests: the root `world` with indicator values (builders), and
the same with a finished 2025 evaluation run."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from yuanqu.dashboard.tests import builders


@pytest.fixture
def dash(world: World) -> World:
    builders.indicator_values(world)
    return world


@pytest.fixture
def evaluated(dash: World) -> builders.Evaluated:
    return builders.evaluated(dash)


@pytest.fixture
def html() -> Any:
    def decode(response: Any) -> str:
        assert response.status_code == 200, response.status_code
        text: str = response.content.decode()
        return text

    return decode

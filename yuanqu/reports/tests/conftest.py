"""Report fixtures: the dashboard builders' world (indicator values, a case, a finished run)."""

from __future__ import annotations

import pytest

from conftest import World
from yuanqu.dashboard.tests import builders


@pytest.fixture
def dash(world: World) -> World:
    builders.indicator_values(world)
    builders.case_for(world)
    return world


@pytest.fixture
def evaluated(dash: World) -> builders.Evaluated:
    return builders.evaluated(dash)

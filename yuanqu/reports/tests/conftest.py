"""Report fixtures: the dashboard builders' world (indicator values and a case, built once per module)
and a finished run (per test)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import World
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _report_world(_module_world: World, django_db_blocker: DjangoDbBlocker) -> World:
    """The root module world (`conftest.module_world`) with the builders' indicator values and a case,
    added once per test module inside the module's transaction; each test reads it in a savepoint of
    its own."""
    with django_db_blocker.unblock():
        builders.indicator_values(_module_world)
        builders.case_for(_module_world)
    return _module_world


@pytest.fixture
def dash(_report_world: World, db: None) -> World:
    """The module's world, read again from the database (a test may change an object in memory)."""
    _report_world.refresh()
    return _report_world


@pytest.fixture
def evaluated(dash: World) -> builders.Evaluated:
    return builders.evaluated(dash)

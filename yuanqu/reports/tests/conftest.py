"""Report fixtures: the dashboard builders' world (indicator values and a case, built once per module)
and a finished run (per test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from conftest import World, build_world, module_transaction
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _report_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Built once per test module; each test reads it in a savepoint of its own."""
    with module_transaction(django_db_blocker):
        world = build_world()
        builders.indicator_values(world)
        builders.case_for(world)
        yield world


@pytest.fixture
def dash(_report_world: World, db: None) -> World:
    return _report_world


@pytest.fixture
def evaluated(dash: World) -> builders.Evaluated:
    return builders.evaluated(dash)

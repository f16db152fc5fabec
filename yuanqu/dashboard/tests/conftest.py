"""Fixtures of the cockpit and profile tests: the root world with indicator values (builders), built
once per module, and the same with a finished 2025 evaluation run (per test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from conftest import World, build_world, module_transaction
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _dash_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The world with its indicator values, built once per test module; each test reads it in a
    savepoint of its own, so what a test adds (a chain, a case, parks) is gone for the next."""
    with module_transaction(django_db_blocker):
        world = build_world()
        builders.indicator_values(world)
        yield world


@pytest.fixture
def dash(_dash_world: World, db: None) -> World:
    return _dash_world


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

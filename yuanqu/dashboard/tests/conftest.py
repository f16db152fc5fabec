"""Fixtures of the cockpit and profile tests: the root module world (`conftest.module_world`) with
indicator values (builders), built once per module, and the same with a finished 2025 evaluation run
(per test)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conftest import World
from yuanqu.dashboard.tests import builders

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _dash_world(_module_world: World, django_db_blocker: DjangoDbBlocker) -> World:
    """The root module world (`conftest.module_world`) with its indicator values, added once per test
    module inside the module's transaction; each test reads it in a savepoint of its own, so what a
    test adds (a chain, a case, parks) is gone for the next."""
    with django_db_blocker.unblock():
        builders.indicator_values(_module_world)
    return _module_world


@pytest.fixture
def dash(_dash_world: World, db: None) -> World:
    """The module's world, read again from the database (a test may change an object in memory)."""
    _dash_world.refresh()
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

"""The indicators tests' computed world: the root world with `factories.add_stats` and one full
recompute, built once per test module; each test runs in a savepoint of its own, so what a test
changes (a correction batch, a move, a recompute) is gone for the next. A module that takes
`computed` or `stats` takes no other world, and none of its tests needs `transactional_db`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import World
from yuanqu.indicators.tests.factories import Stats, add_stats

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _computed(_module_world: World, django_db_blocker: DjangoDbBlocker) -> tuple[World, Stats]:
    """The root module world (`conftest.module_world`) with the statistics and one full recompute,
    added inside the module's transaction."""
    from yuanqu.indicators.services import indicators_compute_all

    with django_db_blocker.unblock():
        stats = add_stats(_module_world)
        indicators_compute_all()
        return _module_world, stats


@pytest.fixture
def computed(_computed: tuple[World, Stats], db: None) -> World:
    """The world with the statistics of `factories` and every indicator computed from them, read
    again from the database."""
    world = _computed[0]
    world.refresh()
    return world


@pytest.fixture
def stats(_computed: tuple[World, Stats], computed: World) -> Stats:
    """The batches `factories.add_stats` wrote into the computed world."""
    for batch in (_computed[1].annual_batch, _computed[1].monthly_batch):
        batch.refresh_from_db()
    return _computed[1]

"""The registry tests' world: every registry test reads or rolls back, so `world` here is the root
world built once per test module (`conftest.module_world`); each test runs in a savepoint of its own."""

from __future__ import annotations

import pytest

from conftest import World


@pytest.fixture
def world(module_world: World) -> World:
    return module_world

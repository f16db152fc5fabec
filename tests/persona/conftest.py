"""The persona matrix's fixtures: its world built once per test module inside a transaction that is
rolled back when the module ends (as Django's `TestCase.setUpTestData` does), each test in a
savepoint of its own (a row's test puts each persona's request in a savepoint inside that one), one
signed-in session per persona made once and one client that carries them."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.persona.world import PERSONAS, PersonaWorld, build

SESSION_LIFETIME = 7 * 24 * 3600  # seconds: longer than any run of the module


class Sessions:
    """A test client signed in as a persona by the session made once, its cookies as they were then.
    One client for the module, its cookies swapped per persona: a client's first request builds the
    middleware chain, and WhiteNoise's reads every static file (a tenth of a second of CPU time), so a
    client per test, or even per persona, pays that again for nothing."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self.shared = Client()

    def client(self, persona: str) -> Client:
        client = self.shared
        client.cookies = SimpleCookie()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.keys[persona]
        return client


@pytest.fixture(scope="module")
def persona_world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[PersonaWorld, Sessions]]:
    from conftest import World

    base_world = _base_world()
    # The sessions are made once and must outlive the module however slowly it runs: with the
    # platform's idle time (30 minutes) a module slower than 15 minutes renews (writes) the session on
    # every request, and one slower than 30 minutes meets the sign-in page. Idle expiry is
    # core/tests/test_sessions.py's, not the matrix's.
    media = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("persona-media")),
        JOBS_HEARTBEAT_SECONDS=0,
        SESSION_COOKIE_AGE=SESSION_LIFETIME,
    )
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            base: World = base_world(None)
            world = build(base)
            keys: dict[str, str] = {}
            for persona in PERSONAS:
                if persona == "anonymous":
                    continue
                client = Client()
                client.force_login(world.users[persona])
                keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world, Sessions(keys)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def _base_world() -> Any:
    """The function behind the shared `world` fixture (conftest.py), called once for the module."""
    import conftest

    fixture = conftest.world
    wrapped = getattr(fixture, "_get_wrapped_function", None)
    return wrapped() if wrapped is not None else fixture


@pytest.fixture
def pw(persona_world: tuple[PersonaWorld, Sessions], db: Any) -> PersonaWorld:
    return persona_world[0]


@pytest.fixture
def sessions(persona_world: tuple[PersonaWorld, Sessions], db: Any) -> Sessions:
    return persona_world[1]

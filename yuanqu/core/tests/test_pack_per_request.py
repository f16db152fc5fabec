"""A page looks at the installed policy pack's files once, however often it asks for the pack; the
next request looks again, so a rewritten pack is seen by the next page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import World
from yuanqu.core.pack import loaded


def test_a_page_looks_at_the_pack_files_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    looks: list[Path] = []
    original = loaded._file_stamp

    def stamp(path: Path) -> Any:
        looks.append(path)
        return original(path)

    monkeypatch.setattr(loaded, "_file_stamp", stamp)
    client = world.client("city_admin")
    assert client.get("/targets/").status_code == 200
    assert len(looks) == 1
    assert client.get("/targets/").status_code == 200
    assert len(looks) == 2  # a new request looks again
    loaded.installed_pack()
    loaded.installed_pack()
    assert len(looks) == 4  # outside a request, every ask looks

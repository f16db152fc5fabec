"""The shipped Wuhan pack's names on the pages that take park type names, the region and the task
count from the pack: the same text as before the pages read them from the pack, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from conftest import World


@pytest.fixture
def english() -> Iterator[None]:
    yield
    translation.deactivate()


def test_the_wuhan_pages_keep_their_chinese_names(world: World) -> None:
    client = world.client("city_admin")
    parks = client.get("/registry/parks/").content.decode()
    assert '<option value="modern">现代产业园</option>' in parks
    assert '<option value="unclassified">未分类</option>' in parks
    assert "都市工业园" in parks and "特色产业园" in parks
    assert "底图为武汉市各区示意边界" in client.get("/registry/map/").content.decode()
    assert "18项重点任务、6项保障措施" in client.get("/targets/tasks/").content.decode()


def test_the_wuhan_pages_keep_their_english_names(world: World, english: None) -> None:
    client = world.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    parks = client.get("/registry/parks/").content.decode()
    assert '<option value="modern">Modern Industrial Park</option>' in parks
    assert "district boundaries of Wuhan (" in client.get("/registry/map/").content.decode()
    assert "18 key tasks and 6 safeguards" in client.get("/targets/tasks/").content.decode()

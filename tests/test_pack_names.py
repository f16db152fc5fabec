"""The shipped Wuhan pack's names on the pages that take park type names, the region, the task
count and the platform's name from the pack: the same text as before the pages read them from the
pack, in both languages."""

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


WUHAN_FOOTER = "武汉市经济和信息化局 · 加快推进武汉工业园区高质量发展的实施方案（2025-2027年）"
WUHAN_FOOTER_EN = (
    "Wuhan Municipal Bureau of Economy and Information Technology · Implementation Plan for Accelerating "
    "the High-Quality Development of Wuhan&#x27;s Industrial Parks (2025–2027)"
)


def test_the_wuhan_pages_keep_their_platform_name(world: World) -> None:
    html = world.client("city_admin").get("/registry/parks/").content.decode()
    assert "<title>园区 · 武汉工业园区产业大数据平台</title>" in html
    assert ">园区 · 武汉工业园区产业大数据平台</a>" in html
    assert f'<footer class="footer">{WUHAN_FOOTER}</footer>' in html


def test_the_wuhan_pages_keep_their_english_platform_name(world: World, english: None) -> None:
    client = world.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/registry/parks/").content.decode()
    assert "<title>Parks · Wuhan Industrial Parks Big Data Platform</title>" in html
    assert ">Yuanqu · Wuhan Industrial Parks Big Data Platform</a>" in html
    assert f'<footer class="footer">{WUHAN_FOOTER_EN}</footer>' in html


def test_the_server_error_page_names_the_platform(world: World) -> None:
    from django.test import RequestFactory

    from yuanqu.core.contract.pages import server_error

    page = server_error(RequestFactory().get("/registry/parks/")).content.decode()
    assert "<title>服务器错误 · 武汉工业园区产业大数据平台</title>" in page

"""The page frame every page shares (templates/base.html): a skip link to the content, the demo
banner inside the page's header landmark, each language named in its own language, a menu button
for narrow screens, and the web app manifest."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from django.utils import translation

from conftest import World
from yuanqu.core.models import PlatformFlag


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A page requested in English leaves English active in this thread: later tests expect Chinese.
    yield
    translation.deactivate()


def _page(world: World, persona: str = "city_admin", url: str = "/registry/parks/") -> str:
    response = world.client(persona).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_opens_with_a_skip_link_to_the_main_content(world: World) -> None:
    html = _page(world)
    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link is not None and 'href="#main"' in first_link.group(0)
    assert '<main id="main"' in html


def test_it_puts_the_demo_banner_inside_the_header_landmark(world: World) -> None:
    PlatformFlag.objects.create(key=PlatformFlag.DEMO_LOADED)
    html = _page(world)
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert 'data-testid="demo-banner"' in header


def test_it_names_each_language_in_its_own_language(world: World) -> None:
    client = world.client("city_admin")
    chinese = client.get("/registry/parks/").content.decode()
    assert ">English</option>" in chinese and "英语" not in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/registry/parks/").content.decode()
    assert ">简体中文</option>" in english and "Simplified Chinese" not in english


def test_it_offers_a_menu_button_that_controls_the_navigation(world: World) -> None:
    html = _page(world, "enterprise", "/core/workbench/")
    assert 'aria-controls="mainnav"' in html and '<nav class="mainnav" id="mainnav"' in html


def test_it_serves_a_web_app_manifest_from_its_own_files(world: World) -> None:
    html = _page(world)
    assert '<link rel="manifest" href="/core/manifest.webmanifest">' in html
    response = world.client("anonymous").get("/core/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "武汉工业园区产业大数据平台"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert [icon["src"] for icon in manifest["icons"]] == ["/static/img/favicon.svg"]

"""Chinese by default, English after the language switch: pages, navigation, roles, the demo banner,
the login page and model messages; and the committed .mo matches its .po."""

from __future__ import annotations

import datetime as dt
import gettext as gnu_gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from conftest import World
from yuanqu.core.models import PlatformFlag, User
from yuanqu.core.roles import Role
from yuanqu.registry.models import Park, ParkChangeRequest

CATALOGUE = Path(settings.BASE_DIR) / "yuanqu" / "locale" / "en" / "LC_MESSAGES"
# Sources whose every marked string must have an English translation (other apps may lag behind).
MUST_TRANSLATE = (
    "yuanqu/templates/",
    "yuanqu/core/templates/",
    "yuanqu/registry/templates/",
    "yuanqu/navigation.py",
    "yuanqu/core/roles.py",
    "yuanqu/core/models.py",
    "yuanqu/registry/models.py",
    "yuanqu/registry/views.py",
    "yuanqu/core/admin.py",
    "yuanqu/core/confirm.py",
    "yuanqu/core/signin.py",
    "yuanqu/core/views.py",
)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # LocaleMiddleware activates the request's language in this thread and leaves it active.
    yield
    translation.deactivate()


def switch(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with data-testid={testid}"
    return match.group(2)


def nav(html: str) -> str:
    match = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "no main navigation"
    return match.group(1)


def test_it_renders_the_park_list_and_navigation_in_chinese_by_default(world: World) -> None:
    html = page(world.client("city_admin"), "/registry/parks/")

    assert '<html lang="zh-hans">' in html
    assert "<h1>园区名录</h1>" in html
    assert "<title>园区 · 武汉工业园区产业大数据平台</title>" in html
    menu = nav(html)
    assert '<span class="navtitle">布局体系</span>' in menu
    assert ">园区</a>" in menu
    assert ">产业链</a>" in menu
    who = section(html, "who")
    assert '<span class="role">市级管理员</span>' in who
    assert section(html, "scope") == "全市"
    assert "现代产业园" in section(html, "park-table")
    assert "Parks" not in html
    assert "City administrator" not in html


def test_it_renders_the_park_list_and_navigation_in_english_after_switching(world: World) -> None:
    client = world.client("city_admin")
    switch(client, "en", "/registry/parks/")
    html = page(client, "/registry/parks/")

    assert '<html lang="en">' in html
    assert "<h1>Park directory</h1>" in html
    assert "<title>Parks · Wuhan Industrial Parks Big Data Platform</title>" in html
    menu = nav(html)
    assert '<span class="navtitle">Layout</span>' in menu
    assert ">Parks</a>" in menu
    assert ">Enterprises</a>" in menu
    assert ">Industry chains</a>" in menu
    assert ">Land parcels</a>" in menu
    assert '<span class="navtitle">Management</span>' in menu
    who = section(html, "who")
    assert '<span class="role">City administrator</span>' in who
    assert section(html, "scope") == "Whole city"
    table = section(html, "park-table")
    assert "<th>Park name</th>" in table
    assert "Modern Industrial Park" in table
    assert "Specialised Industrial Park" in table
    assert "Urban Industrial Park" in table
    assert "江夏现代产业园" in table  # data stays as entered
    assert "园区名录" not in html
    assert "布局体系" not in html


def test_it_switches_back_to_chinese(world: World) -> None:
    client = world.client("district_jiangxia")
    switch(client, "en")
    assert '<span class="role">District user</span>' in page(client, "/registry/parks/")

    switch(client, "zh-hans")
    html = page(client, "/registry/parks/")
    assert '<span class="role">区级用户</span>' in html
    assert "<h1>园区名录</h1>" in html


def test_it_translates_every_role_in_the_header(world: World) -> None:
    expected = {
        "city_viewer": "City viewer",
        "park_operator": "Park operator",
        "enterprise": "Enterprise user",
        "handler": "Handling officer",
        "auditor": "Auditor",
        "sysadmin": "System administrator",
    }
    for persona, label in expected.items():
        client = world.client(persona)
        switch(client, "en")
        assert f'<span class="role">{label}</span>' in section(page(client, "/core/me/"), "who"), persona


def test_it_translates_the_demo_banner(world: World) -> None:
    PlatformFlag.objects.create(key=PlatformFlag.DEMO_LOADED)
    client = world.client("city_viewer")
    banner = section(page(client, "/registry/parks/"), "demo-banner")
    assert banner.startswith("示例数据：本平台当前载入的是合成的演示数据")

    switch(client, "en")
    banner = section(page(client, "/registry/parks/"), "demo-banner")
    assert banner.startswith("Sample data: this platform currently holds synthetic demonstration data")
    assert "示例数据" not in banner


def test_it_translates_the_login_page(world: World) -> None:
    client = world.client("anonymous")
    html = page(client, "/login/")
    assert "<h1>登录</h1>" in html
    assert "用户名<input" in html

    switch(client, "en", "/login/")
    html = page(client, "/login/")
    assert "<h1>Log in</h1>" in html
    assert "Username<input" in html
    assert "Password<input" in html
    assert '<button type="submit">Log in</button>' in html
    assert '<button type="submit" class="link">Switch</button>' in html

    failed = client.post("/login/", {"username": "t-admin", "password": "wrong"}).content.decode()
    assert "Wrong username or password." in failed
    assert "用户名或密码错误" not in failed


def test_it_translates_pages_with_values_inside_sentences(world: World) -> None:
    park = world.parks["PA"]
    park.status = Park.Status.RECOGNISED
    park.recognised_on = dt.date(2024, 1, 2)
    park.smart_platform = True
    park.smart_subsystems = 3
    park.save()
    client = world.client("city_admin")
    chinese = page(client, "/registry/parks/PA/")
    assert "4.000 平方公里" in chinese
    assert "已建，应用子系统 3 个" in chinese
    assert "已认定（2024-01-02 认定）" in chinese

    switch(client, "en")
    english = page(client, "/registry/parks/PA/")
    assert "4.000 km²" in english
    assert "Built; application subsystems: 3" in english
    assert "Recognised (recognised 2024-01-02)" in english
    assert "<h2>Park facilities</h2>" in english
    assert "Shared laboratory: 光电共享实验室" in english


def test_it_translates_model_labels_and_validation_messages() -> None:
    user = User(username="no-scope", role=Role.DISTRICT)
    with translation.override("zh-hans"):
        assert str(Role.CITY_ADMIN.label) == "市级管理员"
        assert str(Park._meta.verbose_name) == "园区"
        with pytest.raises(ValidationError) as chinese:
            user.clean()
    assert chinese.value.message_dict["district"] == ["角色“区级用户”必须指定所属区/开发区"]

    with translation.override("en"):
        assert str(Role.CITY_ADMIN.label) == "City administrator"
        assert str(Role.HANDLER.label) == "Handling officer"
        assert str(Park._meta.verbose_name) == "Park"
        assert str(Park._meta.get_field("park_type").verbose_name) == "Park type"
        with pytest.raises(ValidationError) as english:
            user.clean()
    assert english.value.message_dict["district"] == ["The role “District user” requires: District / zone"]


def test_it_translates_the_park_change_requests(world: World) -> None:
    operator = world.client("park_operator")
    switch(operator, "en")
    filing = page(operator, "/registry/parks/PA/change-requests/")
    assert "<h1>Park information change requests <small>" in filing
    assert "<h2>Request a change</h2>" in filing
    assert "<th>Submitted</th><th>Changes</th><th>Reason</th><th>Status</th><th>Action</th>" in filing
    assert "No change requests yet" in filing
    assert '<option value="">(unchanged)</option>' in filing
    assert "变更申请" not in filing
    filed = operator.post(
        "/registry/parks/PA/change-requests/",
        {"action": "file", "change_green_level": "provincial", "reason": "已获省级绿色园区认定"},
        follow=True,
    ).content.decode()
    assert "Change request submitted; it awaits review by a city administrator" in filed
    assert "Pending review" in filed

    admin = world.client("city_admin")
    switch(admin, "en")
    assert "Park information change requests (1 pending review) →" in page(admin, "/registry/parks/PA/")
    assert "Park information change requests →" in page(admin, "/registry/")
    request = ParkChangeRequest.objects.get()
    unconfirmed = admin.post("/registry/parks/PA/change-requests/", {"action": "approve", "request": request.pk})
    assert "This cannot be undone: tick the confirmation box, then submit again" in unconfirmed.content.decode()
    listed = page(admin, "/registry/change-requests/")
    assert "<th>Park</th><th>Fields to change</th><th>Requested by</th><th>Submitted at</th>" in listed


def test_it_translates_the_error_pages_and_the_token_messages(world: World) -> None:
    client = world.client("city_viewer")
    switch(client, "en")
    missing = client.get("/registry/parks/NO-SUCH-PARK/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "Page not found" in html and "Back to the home page" in html
    assert "页面不存在" not in html
    revoked = client.post("/core/me/", {"revoke": "999999"}, follow=True).content.decode()
    assert "The token to revoke does not exist or is not yours" in revoked
    assert "A token expires" in revoked


def po_entries(path: Path) -> Iterator[tuple[list[str], str | None, str, str]]:
    """(source references, context, msgid, msgstr) of each live entry of a .po file, header excluded."""

    def text(parts: list[str]) -> str:
        raw = "".join(part.strip()[1:-1] for part in parts)
        return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), raw)

    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = ""
        fuzzy = False
        sources: list[str] = []
        for line in block.splitlines():
            if line.startswith("#: "):
                sources += line[3:].split()
            elif line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                current, _, value = line.partition(" ")
                fields[current] = [value]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields or not text(fields["msgid"]):
            continue
        assert not fuzzy, f"fuzzy entry {text(fields['msgid'])!r}"
        context = text(fields["msgctxt"]) if "msgctxt" in fields else None
        yield sources, context, text(fields["msgid"]), text(fields["msgstr"])


def test_it_ships_a_compiled_catalogue_in_step_with_the_po_file() -> None:
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    entries = list(po_entries(CATALOGUE / "django.po"))
    assert len(entries) > 300

    for sources, context, msgid, msgstr in entries:
        shown = f"{context}|{msgid}" if context else msgid
        if any(source.startswith(MUST_TRANSLATE) for source in sources):
            assert msgstr, f"untranslated: {shown!r} ({sources[0]})"
        if not msgstr:
            continue
        got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert got == msgstr, f"django.mo is stale for {shown!r}: run compilemessages"


def test_it_stays_chinese_for_an_english_browser_until_the_user_switches(world: World) -> None:
    client = world.client("city_admin")
    html = client.get("/registry/parks/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "园区名录" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/registry/parks/"})
    html = client.get("/registry/parks/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Parks" in html and "园区名录" not in html

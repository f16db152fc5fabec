"""人才直通车 in a real browser: a firm posts an opening; a person registers with the e-mailed code and
consents, builds a profile and finds the opening among their matches; the firm sends interest to the
masked candidate, the person accepts, and only then does the firm's page show the name and contact."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import PageFor
from yuanqu.core.models import AuditLog
from yuanqu.registry.models import ChainNode, IndustryChain
from yuanqu.talent.models import Interest, Opening

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CONTACT = "wang.lvcheng@example.com"
PERSON_PASSWORD = "Rencai-2026-browser!"


def _fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"[data-testid={form}] [name={name}]", value)


def test_a_person_registers_consents_is_matched_and_accepts_and_the_firm_then_sees_the_contact(
    live_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    chain, _ = IndustryChain.objects.get_or_create(
        code="laser", defaults={"name": "激光", "kind": IndustryChain.Kind.KEY_CHAIN}
    )
    ChainNode.objects.get_or_create(
        chain=chain, name="激光加工与增材制造装备", defaults={"stage": ChainNode.Stage.MIDSTREAM}
    )
    today = timezone.localdate()

    # The firm posts an opening from its page.
    firm = page_for("t-ent-e1")
    firm.goto(f"{live_server.url}/talent/")
    _fill(
        firm,
        "opening-form",
        {
            "title": "机器视觉工程师",
            "chain": "laser",
            "skills_text": "负责PLC编程与机器视觉检测",
            "skill_tags": "PLC、机器视觉",
            "education": "associate",
            "salary_min": "9000",
            "salary_max": "15000",
            "headcount": "2",
            "park": "PA",
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=365)).isoformat(),
        },
    )
    firm.click("[data-testid=opening-form] button[type=submit]")
    firm.wait_for_load_state()
    assert "岗位已发布" in firm.inner_text("main")
    opening = Opening.objects.get(title="机器视觉工程师")

    # A newcomer asks for a code; the code comes by e-mail.
    person = page_for(None)
    person.goto(f"{live_server.url}/talent/register/")
    notice = person.inner_text("main")
    assert "个人信息处理告知书" in notice
    person.fill("[data-testid=register-start] input[name=contact]", CONTACT)
    person.click("[data-testid=register-start] button[type=submit]")
    person.wait_for_url("**/talent/register/confirm/")
    assert [message.to for message in mail.outbox] == [[CONTACT]]
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    code = found.group(1)

    # Without the consent box ticked the registration is refused; with it the account is made.
    _fill(person, "register-confirm", {"code": code, "name": "王旅程", "password": PERSON_PASSWORD})
    person.click("[data-testid=register-confirm] button[type=submit]")
    person.wait_for_load_state()
    assert "须阅读并同意《个人信息处理告知书》后才能注册" in person.inner_text("main")
    _fill(person, "register-confirm", {"code": code, "name": "王旅程", "password": PERSON_PASSWORD})
    person.check("[data-testid=register-confirm] input[name=consent]")
    person.click("[data-testid=register-confirm] button[type=submit]")
    person.wait_for_url("**/login/**")
    shown = re.search(r"\brc\d{8}\b", person.inner_text("body"))
    assert shown is not None, person.inner_text("body")
    username = shown.group(0)

    person.fill("input[name=username]", username)
    person.fill("input[name=password]", PERSON_PASSWORD)
    person.click("main button[type=submit]")
    person.wait_for_url(f"{live_server.url}/talent/")

    # The person builds a profile shown to all firms and finds the opening with its explanation.
    person.click("text=编辑我的档案")
    person.wait_for_url("**/talent/profile/")
    _fill(
        person,
        "profile-form",
        {
            "name": "王旅程",
            "education": "bachelor",
            "experience_years": "4",
            "skills_text": "五年PLC与机器视觉项目经验",
            "skill_tags": "PLC、机器视觉",
            "salary_min": "10000",
            "salary_max": "14000",
            "park_codes": "PA",
        },
    )
    person.select_option("[data-testid=profile-form] select[name=visibility]", "all")
    person.click("[data-testid=profile-form] button[type=submit]")
    person.wait_for_url(f"{live_server.url}/talent/")
    matches = person.inner_text("[data-testid=my-matches]")
    assert "机器视觉工程师" in matches
    assert "技能匹配：PLC、机器视觉" in matches and "学历满足" in matches and "薪资区间重叠" in matches

    # The firm finds the candidate masked, without a contact, and sends interest.
    firm.goto(f"{live_server.url}/talent/openings/{opening.pk}/")
    candidates = firm.inner_text("[data-testid=opening-candidates]")
    assert "王**" in candidates and "王旅程" not in candidates and CONTACT not in firm.content()
    firm.click("[data-testid=opening-candidates] button")
    firm.wait_for_load_state()
    assert "对方接受后可见" in firm.inner_text("[data-testid=opening-interests]")
    assert CONTACT not in firm.content()

    # The person sees the interest and accepts it.
    person.reload()
    interests = person.inner_text("[data-testid=my-interests]")
    assert "机器视觉工程师" in interests
    person.click("[data-testid=my-interests] button[value=yes]")
    person.wait_for_load_state()
    assert "已答复" in person.inner_text("main")
    assert Interest.objects.get().status == Interest.Status.ACCEPTED

    # Now, and only now, the firm sees the name and the contact; the read is audited.
    firm.reload()
    row = firm.inner_text("[data-testid=opening-interests]")
    assert "王旅程" in row and CONTACT in row
    assert AuditLog.objects.filter(action="read", object_type="talent.Interest").count() == 1

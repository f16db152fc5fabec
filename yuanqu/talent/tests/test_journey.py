"""The journey through the pages: a person registers with a code and consents, builds a profile, is
matched, accepts a firm's interest; the firm then sees the contact. And the API's scoping."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from yuanqu.core.models import AuditLog, User
from yuanqu.talent.config import config
from yuanqu.talent.models import Interest, Profile
from yuanqu.talent.tests.conftest import PASSWORD, TalentWorld

CONTACT = "li.journey@example.com"


def _register(client: Client, capture: Any) -> User:
    with capture(execute=True):
        answer = client.post("/talent/register/", {"contact": CONTACT})
    assert answer.status_code == 302
    code = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert code is not None
    refused = client.post(
        "/talent/register/confirm/",
        {"code": code.group(1), "name": "李旅程", "password": PASSWORD, "consent_version": config().consent.version},
    )
    assert "须阅读并同意《个人信息处理告知书》后才能注册" in refused.content.decode()
    done = client.post(
        "/talent/register/confirm/",
        {
            "code": code.group(1),
            "name": "李旅程",
            "password": PASSWORD,
            "consent": "on",
            "consent_version": config().consent.version,
        },
    )
    assert done.status_code == 302
    return User.objects.get(role="talent")


def test_a_person_registers_is_matched_and_accepts_and_the_firm_sees_the_contact(
    tw: TalentWorld, django_capture_on_commit_callbacks: Any
) -> None:
    person_client = Client()
    person = _register(person_client, django_capture_on_commit_callbacks)
    assert person_client.login(username=person.username, password=PASSWORD)
    assert person_client.get("/talent/register/").status_code == 302  # signed in: on to the person's page
    saved = person_client.post(
        "/talent/profile/",
        {
            "name": "李旅程",
            "education": "bachelor",
            "experience_years": "4",
            "skills_text": "熟悉PLC与机器视觉",
            "skill_tags": "PLC、机器视觉",
            "salary_min": "9000",
            "salary_max": "14000",
            "park_codes": "PA",
            "visibility": "all",
        },
    )
    assert saved.status_code == 302, saved.content.decode()
    today = timezone.localdate()
    opening = tw.opening(
        title="视觉工程师",
        skill_tags=["机器视觉", "PLC"],
        education="associate",
        valid_from=today,
        valid_to=today + dt.timedelta(days=90),
    )
    mine = person_client.get("/talent/").content.decode()
    assert "视觉工程师" in mine and "技能匹配：PLC、机器视觉" in mine

    firm = tw.world.client("enterprise")
    page = firm.get(f"/talent/openings/{opening.pk}/").content.decode()
    assert "李**" in page and CONTACT not in page
    profile = Profile.objects.get(user=person)
    firm.post("/talent/interests/new/", {"opening": opening.pk, "profile": profile.pk})
    interest = Interest.objects.get()
    assert CONTACT not in firm.get(f"/talent/openings/{opening.pk}/").content.decode()
    assert firm.get(f"/api/v1/talent/openings/{opening.pk}/candidates").json()["items"] == []

    person_client.post(f"/talent/interests/{interest.pk}/answer/", {"accept": "yes"})
    page = firm.get(f"/talent/openings/{opening.pk}/").content.decode()
    assert CONTACT in page and "李旅程" in page
    api = firm.get(f"/api/v1/talent/openings/{opening.pk}/candidates").json()["items"]
    assert [(row["name"], row["contact"]) for row in api] == [("李旅程", CONTACT)]
    assert AuditLog.objects.filter(action="read", object_type="talent.Interest").count() == 2

    # Another firm reaches neither the opening nor its candidates.
    other = tw.world.client("district_caidian")
    assert other.get(f"/talent/openings/{opening.pk}/").status_code == 404

    # The person withdraws: the account and profile go, the firm's page keeps the row without them.
    assert person_client.post("/talent/profile/withdraw/").status_code == 302
    assert not User.objects.filter(role="talent").exists()
    entries = AuditLog.objects.filter(Q(actor_name=person.username) | Q(object_type="talent.Verification"))
    assert entries.exists() and not entries.exclude(ip_address=None).exists()
    page = firm.get(f"/talent/openings/{opening.pk}/").content.decode()
    assert CONTACT not in page and "李旅程" not in page


def test_the_api_gives_a_person_only_their_own_data(tw: TalentWorld) -> None:
    first = tw.register("a@example.com", "甲")
    second = tw.register("b@example.com", "乙")
    client = Client()
    client.force_login(first)
    me = client.get("/api/v1/talent/me").json()
    assert (me["name"], me["contact"]) == ("甲", "a@example.com")
    assert client.get("/api/v1/talent/interests").json()["items"] == []
    other_profile = Profile.objects.get(user=second)
    assert client.post("/api/v1/talent/interests/999/answer", {"accept": True}, "application/json").status_code == 404
    assert other_profile.pk != me["id"]
    body = {
        "title": "岗位",
        "chain": "laser",
        "salary_min": 1,
        "salary_max": 2,
        "valid_from": "2026-06-01",
        "valid_to": "2026-07-01",
    }
    assert client.post("/api/v1/talent/openings", body, "application/json").status_code == 403


def test_roles_without_a_part_are_refused(tw: TalentWorld) -> None:
    for persona in ("handler", "auditor"):
        assert tw.world.client(persona).get("/talent/").status_code == 403
        assert tw.world.client(persona).get("/api/v1/talent/openings").status_code == 403
    assert tw.world.client("city_viewer").get("/talent/").status_code == 200
    assert tw.world.client("enterprise").get("/api/v1/talent/me").status_code == 403


def test_the_registration_page_shows_the_notice_and_answers_429_while_throttled(tw: TalentWorld, settings: Any) -> None:
    settings.TALENT_REGISTER_ADDRESS_LIMIT = 2
    client = Client()
    page = client.get("/talent/register/").content.decode()
    notice = config().consent
    assert notice.purpose in page and notice.recipients in page and notice.version in page
    assert client.post("/talent/register/", {"contact": "one@example.com"}).status_code == 302
    assert client.post("/talent/register/", {"contact": "two@example.com"}).status_code == 302
    refused = client.post("/talent/register/", {"contact": "three@example.com"})
    assert refused.status_code == 429
    assert "注册请求过于频繁" in refused.content.decode()
    bad = client.post("/talent/register/", {"contact": "not a contact"})
    assert "请填写有效的手机号（11位）或电子邮箱" in bad.content.decode()


def test_a_person_updates_their_profile_through_the_api(tw: TalentWorld) -> None:
    person = tw.register("api@example.com", "接口甲")
    client = Client()
    client.force_login(person)
    body = {"name": "接口甲", "education": "master", "skill_tags": ["机器视觉"], "visibility": "all"}
    answer = client.put("/api/v1/talent/me", body, "application/json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["education"], answer.json()["skill_tags"]) == ("master", ["机器视觉"])
    wrong = client.put("/api/v1/talent/me", {**body, "skill_tags": ["火箭"]}, "application/json")
    assert wrong.status_code == 422
    assert "技能标签“火箭”不在技能词表中" in wrong.json()["detail"]
    assert client.delete("/api/v1/talent/me").status_code == 204
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_firm_closes_its_opening_once(tw: TalentWorld) -> None:
    opening = tw.opening(title="关闭测试")
    firm = tw.world.client("enterprise")
    assert firm.post(f"/api/v1/talent/openings/{opening.pk}/close").json()["status"] == "closed"
    again = firm.post(f"/api/v1/talent/openings/{opening.pk}/close")
    assert (again.status_code, again.json()["detail"]) == (409, "该岗位已关闭")
    assert firm.post(f"/talent/openings/{opening.pk}/close/").status_code == 302

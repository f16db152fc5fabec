"""The talent pages take their posts as every page does (`core.forms.take_post`): a refusal of the
form or of the service is a message on the page, never an error answer; who organises and who handles
personal data is asked of `core.permissions`; the registration throttle counts on the sign-in's
counters."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client

from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import is_talent_event_organiser, is_talent_handler, may_open_talent
from yuanqu.talent import views
from yuanqu.talent.models import Profile
from yuanqu.talent.services import openings, personal, registration
from yuanqu.talent.tests.conftest import NOW, TalentWorld


def _said(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_unmasking_with_a_blank_reason_is_a_message_not_an_error(tw: TalentWorld) -> None:
    tw.profile(tw.register("blank.reason@example.com"))
    profile = Profile.objects.get()
    client = tw.world.client("city_admin")
    answer = client.post(f"/talent/profiles/{profile.pk}/unmask/", {"reason": "   "})
    assert answer.status_code == 302
    assert _said(answer) == [personal.REASON_REQUIRED]
    assert not AuditLog.objects.filter(action="read", object_type="talent.Profile").exists()
    shown = client.post(f"/talent/profiles/{profile.pk}/unmask/", {"reason": "政策核查"})
    assert shown.status_code == 200 and "blank.reason@example.com" in shown.content.decode()


def test_personal_data_pages_refuse_other_roles_before_reading_the_form(tw: TalentWorld) -> None:
    tw.profile(tw.register("refused.role@example.com"))
    profile = Profile.objects.get()
    for persona in ("district_jiangxia", "city_viewer", "park_operator", "auditor"):
        client = tw.world.client(persona)
        assert client.post(f"/talent/profiles/{profile.pk}/unmask/", {"reason": ""}).status_code in {403, 404}
        assert client.post("/talent/profiles/export/", {"reason": ""}).status_code == 403


def test_a_service_refusal_of_a_post_without_a_form_is_a_message(tw: TalentWorld) -> None:
    opening = tw.opening()
    client = tw.world.client("enterprise")
    assert _said(client.post(f"/talent/openings/{opening.pk}/close/")) == [views.OPENING_CLOSED]
    again = client.post(f"/talent/openings/{opening.pk}/close/")
    assert again.status_code == 302 and _said(again)[-1] == openings.ALREADY_CLOSED


def test_the_roles_of_the_talent_pages_are_asked_of_core_permissions(tw: TalentWorld) -> None:
    users = tw.world.users
    assert [name for name in sorted(users) if is_talent_event_organiser(users[name])] == sorted(
        name for name in users if users[name].role in {"city_admin", "sysadmin", "district", "park_operator"}
    )
    assert is_talent_handler(users["city_admin"]) and not is_talent_handler(users["city_viewer"])
    assert may_open_talent(users["enterprise"]) and may_open_talent(users["city_viewer"])


def test_a_registration_wait_is_counted_and_audited_on_the_sign_in_counters(tw: TalentWorld, settings: Any) -> None:
    settings.TALENT_REGISTER_ADDRESS_LIMIT = 2
    for index in range(2):
        registration.registration_start(contact=f"wait{index}@example.com", address="10.7.7.7", now=NOW)
    started = AuditLog.objects.filter(object_type="core.LoginThrottle")
    assert started.count() == 1
    entry = started.get()
    assert entry.object_repr == registration.THROTTLE_NAME
    assert "wait1@example.com" not in json.dumps(
        [entry.detail, entry.after, entry.object_repr], default=str, ensure_ascii=False
    )


def test_the_register_page_keeps_what_was_typed_after_a_refusal(tw: TalentWorld, client: Client) -> None:
    answer: Any = client.post("/talent/register/", {"contact": "not-a-contact"})
    assert answer.status_code == 200
    assert registration.CONTACT_INVALID in answer.content.decode()
    assert 'value="not-a-contact"' in answer.content.decode()


def test_a_talent_account_without_a_profile_is_refused_not_an_error(tw: TalentWorld) -> None:
    """An account of the 人才用户 role made outside self-registration has no profile (nobody consented
    to one): its pages and API answer 403 with the reason, never a server error."""
    from yuanqu.core.models import User
    from yuanqu.talent.services.common import NO_PROFILE

    user = User.objects.create_user(username="no-profile-person", password="x", role="talent")
    client = Client()
    client.force_login(user)
    for path in ("/talent/", "/talent/profile/"):
        answer = client.get(path)
        assert answer.status_code == 403 and NO_PROFILE in answer.content.decode(), path
    api = client.get("/api/v1/talent/me")
    assert api.status_code == 403 and json.loads(api.content)["detail"] == NO_PROFILE
    assert client.get("/api/v1/talent/me/matches").status_code == 403

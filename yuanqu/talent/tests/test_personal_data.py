"""Personal data: consent before any account, contact encrypted at rest, the consent gate before a
firm sees a contact, masking and audited unmasking, withdrawal that leaves no personal field in any
table or audit entry, retention, and the registration throttle."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pytest_django.fixtures import Settings

from conftest import make_user
from yuanqu.core.models import AuditLog, User
from yuanqu.core.roles import Role
from yuanqu.talent.config import config
from yuanqu.talent.models import Consent, Interest, Profile, Verification
from yuanqu.talent.services import interests, personal, registration
from yuanqu.talent.services.interests import interest_answer, interest_contact, interest_express
from yuanqu.talent.tests.conftest import NOW, PASSWORD, TalentWorld

CONTACT = "zhang.test@example.com"
NAME = "张测试"


def _all_text_in_database() -> str:
    """Every value of every row of every table, as text: what a dump of the database would show."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the models)
            parts.extend(str(row) for row in cursor.fetchall())
    return "\n".join(parts)


def _accepted(tw: TalentWorld) -> Interest:
    person = tw.register(CONTACT, NAME)
    profile = tw.profile(person, name=NAME, skill_tags=["机器视觉"], skills_text="机器视觉")
    opening = tw.opening(title="视觉工程师", skill_tags=["机器视觉"])
    interest = interest_express(actor=tw.world.users["enterprise"], opening=opening, profile=profile, now=NOW)
    return interest_answer(actor=person, interest=interest, accept=True, now=NOW)


def test_it_sends_a_code_and_stores_the_consent_with_its_version(tw: TalentWorld) -> None:
    started = registration.registration_start(contact=CONTACT, address="10.0.0.9", now=NOW)
    assert len(mail.outbox) == 0  # sent after commit
    user = registration.registration_confirm(
        verification_id=started.verification.pk,
        code=started.code,
        name=NAME,
        password=PASSWORD,
        consent_version=config().consent.version,
        consented=True,
        now=NOW,
    )
    consent = Consent.objects.get(user=user)
    assert (consent.version, consent.given_at) == (config().consent.version, NOW)
    assert "730天" in consent.retention
    assert user.role == "talent" and user.username.startswith("rc")
    assert not Verification.objects.exists()


def test_it_refuses_registration_without_consent(tw: TalentWorld) -> None:
    started = registration.registration_start(contact=CONTACT, address=None, now=NOW)
    with pytest.raises(ValidationError) as refused:
        registration.registration_confirm(
            verification_id=started.verification.pk,
            code=started.code,
            name=NAME,
            password=PASSWORD,
            consent_version=config().consent.version,
            consented=False,
            now=NOW,
        )
    assert refused.value.message_dict == {"consent": [registration.CONSENT_REQUIRED]}
    assert not User.objects.filter(role="talent").exists()


def test_it_refuses_a_stale_consent_version(tw: TalentWorld) -> None:
    started = registration.registration_start(contact=CONTACT, address=None, now=NOW)
    with pytest.raises(ValidationError) as refused:
        registration.registration_confirm(
            verification_id=started.verification.pk,
            code=started.code,
            name=NAME,
            password=PASSWORD,
            consent_version="2020.1",
            consented=True,
            now=NOW,
        )
    assert refused.value.message_dict == {"consent": [registration.CONSENT_STALE]}


def test_it_counts_wrong_codes_and_stops_after_five(tw: TalentWorld) -> None:
    started = registration.registration_start(contact=CONTACT, address=None, now=NOW)
    wrong = "000000" if started.code != "000000" else "111111"
    for _ in range(registration.MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            registration.registration_confirm(
                verification_id=started.verification.pk,
                code=wrong,
                name=NAME,
                password=PASSWORD,
                consent_version=config().consent.version,
                consented=True,
                now=NOW,
            )
    with pytest.raises(ValidationError) as refused:
        registration.registration_confirm(
            verification_id=started.verification.pk,
            code=started.code,
            name=NAME,
            password=PASSWORD,
            consent_version=config().consent.version,
            consented=True,
            now=NOW,
        )
    assert refused.value.message_dict == {"code": [registration.CODE_WRONG]}


def test_it_throttles_registration_per_address(tw: TalentWorld, settings: Settings) -> None:
    settings.TALENT_REGISTER_ADDRESS_LIMIT = 2
    for index in range(2):
        registration.registration_start(contact=f"p{index}@example.com", address="10.9.9.9", now=NOW)
    with pytest.raises(registration.RegistrationThrottled):
        registration.registration_start(contact="p9@example.com", address="10.9.9.9", now=NOW)
    # Another address is not held up.
    registration.registration_start(contact="p9@example.com", address="10.9.9.8", now=NOW)


def test_it_throttles_registration_per_contact(tw: TalentWorld, settings: Settings) -> None:
    settings.TALENT_REGISTER_CONTACT_LIMIT = 1
    registration.registration_start(contact=CONTACT, address="10.1.1.1", now=NOW)
    with pytest.raises(registration.RegistrationThrottled):
        registration.registration_start(contact=CONTACT.upper(), address="10.1.1.2", now=NOW)


def test_it_refuses_a_contact_already_registered(tw: TalentWorld) -> None:
    tw.register(CONTACT, NAME)
    with pytest.raises(ValidationError) as refused:
        tw.register(CONTACT, "另一人")
    assert refused.value.message_dict == {"contact": [registration.ALREADY_REGISTERED]}


def test_the_contact_is_encrypted_at_rest(tw: TalentWorld) -> None:
    person = tw.register(CONTACT, NAME)
    profile = Profile.objects.get(user=person)
    assert profile.contact == CONTACT
    assert CONTACT not in _all_text_in_database()
    assert CONTACT not in profile.contact_cipher


def test_no_personal_field_enters_the_audit_log(tw: TalentWorld) -> None:
    interest = _accepted(tw)
    interest_contact(actor=tw.world.users["enterprise"], interest=interest)
    entries = json.dumps(list(AuditLog.objects.values()), default=str, ensure_ascii=False)
    assert CONTACT not in entries
    assert NAME not in entries


def test_a_firm_sees_no_contact_before_the_person_accepts(tw: TalentWorld) -> None:
    person = tw.register(CONTACT, NAME)
    profile = tw.profile(person, name=NAME, skill_tags=["机器视觉"])
    opening = tw.opening(title="视觉工程师", skill_tags=["机器视觉"])
    firm = tw.world.users["enterprise"]
    interest = interest_express(actor=firm, opening=opening, profile=profile, now=NOW)
    with pytest.raises(PermissionDenied, match=interests.NOT_ACCEPTED):
        interest_contact(actor=firm, interest=interest)
    assert not Profile.objects.visible_to(firm).exists()
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    interest.refresh_from_db()
    assert interest_contact(actor=firm, interest=interest) == (NAME, CONTACT)
    assert list(Profile.objects.visible_to(firm)) == [profile]
    assert AuditLog.objects.filter(action="read", object_type="talent.Interest", object_id=str(interest.pk)).exists()


def test_a_declined_interest_never_gives_the_contact(tw: TalentWorld) -> None:
    person = tw.register(CONTACT, NAME)
    profile = tw.profile(person, name=NAME, skill_tags=["机器视觉"])
    opening = tw.opening(title="视觉工程师", skill_tags=["机器视觉"])
    firm = tw.world.users["enterprise"]
    interest = interest_express(actor=firm, opening=opening, profile=profile, now=NOW)
    interest_answer(actor=person, interest=interest, accept=False, now=NOW)
    interest.refresh_from_db()
    with pytest.raises(PermissionDenied):
        interest_contact(actor=firm, interest=interest)
    with pytest.raises(ValidationError, match=interests.NOT_PENDING):
        interest_answer(actor=person, interest=interest, accept=True, now=NOW)


def test_another_firm_cannot_ask_for_the_contact(tw: TalentWorld) -> None:
    interest = _accepted(tw)
    with pytest.raises(PermissionDenied):
        interest_contact(
            actor=make_user("t-ent-e3", Role.ENTERPRISE, enterprise=tw.world.enterprises["E3"]), interest=interest
        )


def test_staff_see_masked_data_and_each_unmasking_is_audited(tw: TalentWorld) -> None:
    person = tw.register(CONTACT, NAME)
    profile = Profile.objects.get(user=person)
    assert (profile.name_masked, profile.contact_masked) == ("张**", "z***@example.com")
    for persona in ("city_viewer", "auditor", "district_jiangxia"):
        with pytest.raises(PermissionDenied):
            personal.profile_unmask(actor=tw.world.users[persona], profile=profile, reason="核查")
    with pytest.raises(ValidationError):
        personal.profile_unmask(actor=tw.world.users["city_admin"], profile=profile, reason=" ")
    assert personal.profile_unmask(actor=tw.world.users["city_admin"], profile=profile, reason="政策核查") == (
        NAME,
        CONTACT,
    )
    entry = AuditLog.objects.get(action="read", object_type="talent.Profile")
    assert entry.detail == "查看人才档案个人信息明文，事由：政策核查"
    assert entry.actor == tw.world.users["city_admin"]


def test_withdrawal_leaves_no_personal_field_anywhere(tw: TalentWorld) -> None:
    interest = _accepted(tw)
    person = User.objects.get(talent_profile=interest.profile)
    personal.consent_withdraw(actor=person)
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Profile.objects.exists() and not Consent.objects.exists()
    interest.refresh_from_db()
    assert interest.profile is None and interest.status == Interest.Status.ACCEPTED
    dump = _all_text_in_database()
    assert NAME not in dump
    assert CONTACT not in dump
    profile_rows = Profile.objects.count() + Consent.objects.count() + Verification.objects.count()
    assert profile_rows == 0
    entry = AuditLog.objects.get(action="delete", object_type="talent.Profile")
    assert entry.detail == personal.DETAIL_WITHDRAWN
    assert not AuditLog.objects.filter(actor_name=person.username).exclude(ip_address=None).exists()


def test_idle_profiles_are_deleted_after_the_retention_limit(tw: TalentWorld, settings: Settings) -> None:
    settings.TALENT_RETENTION_DAYS = 30
    old = tw.register("old@example.com", "旧档案")
    User.objects.filter(pk=old.pk).update(last_login=NOW - dt.timedelta(days=31))
    recent = tw.register("new@example.com", "新档案")
    User.objects.filter(pk=recent.pk).update(last_login=NOW - dt.timedelta(days=29))
    assert personal.profiles_expire(now=NOW) == 1
    assert list(User.objects.filter(role="talent")) == [recent]


def test_the_retention_command_deletes_idle_profiles_and_lapsed_codes(tw: TalentWorld, settings: Settings) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.TALENT_RETENTION_DAYS = 30
    old = tw.register("old@example.com", "旧档案")
    User.objects.filter(pk=old.pk).update(last_login=NOW - dt.timedelta(days=400))
    registration.registration_start(contact="lapsed@example.com", address=None, now=NOW - dt.timedelta(days=1))
    out = StringIO()
    call_command("talent_retention", stdout=out)
    assert out.getvalue().strip() == "已删除1份超过30天未登录的人才档案，1条过期的注册验证码"
    assert not Profile.objects.exists() and not Verification.objects.exists()


def test_policy_eligibility_follows_the_profile(tw: TalentWorld) -> None:
    from yuanqu.talent import queries

    person = tw.register(CONTACT, NAME)
    profile = tw.profile(person, name=NAME, education="doctor", experience_years=2, skill_grade="technician")
    verdicts = {policy.code: verdict for policy, verdict in queries.policies_for(profile, on=NOW.date())}
    assert verdicts["talent_housing"].passed
    assert verdicts["high_level_research"].passed
    assert not verdicts["skilled_worker_subsidy"].passed
    assert [check.reason for check in verdicts["skilled_worker_subsidy"].failed] == [
        "工作年限为2年，要求不低于3年：不符合"
    ]
    junior = tw.profile(person, name=NAME, education="associate")
    verdicts = {policy.code: verdict for policy, verdict in queries.policies_for(junior, on=NOW.date())}
    assert not verdicts["talent_housing"].passed
    # No skill grade given: not known, which is not the same as failing (the years fail here).
    assert [check.status for check in verdicts["skilled_worker_subsidy"].checks] == ["unknown", "fail"]


def test_the_person_and_the_firm_are_told_and_no_notice_names_the_person(tw: TalentWorld) -> None:
    from yuanqu.notifications.models import Notification

    interest = _accepted(tw)
    person = User.objects.get(talent_profile=interest.profile)
    to_person = Notification.objects.get(recipient=person)
    assert to_person.title == "企业“武汉甲光电科技有限公司”对您发出用人意向（岗位：视觉工程师）"
    to_firm = Notification.objects.get(recipient=tw.world.users["enterprise"])
    assert to_firm.title == f"人才档案 {interest.profile_id} 接受了贵企业的用人意向（岗位：视觉工程师）"
    personal.consent_withdraw(actor=person)
    assert not Notification.objects.filter(recipient_id=person.pk).exists()


def test_withdrawal_also_clears_team_memberships_and_event_registrations(tw: TalentWorld) -> None:
    from yuanqu.talent.models import ChallengeMember, EventRegistration
    from yuanqu.talent.services import challenges, events

    person = tw.register(CONTACT, NAME)
    tw.profile(person, name=NAME)
    firm = tw.world.users["enterprise"]
    data = challenges.ChallengeData(title="难题", description="热管理", reward=10, deadline=NOW.date())
    challenge = challenges.challenge_create(actor=firm, data=data, now=NOW)
    team = challenges.team_create(actor=person, challenge=challenge, name="一队", proposal="", now=NOW)
    challenges.team_apply(actor=person, team=team, now=NOW)
    challenges.team_select(actor=firm, team=team, now=NOW)
    assert challenges.team_contacts(actor=firm, team=team) == [(NAME, CONTACT)]
    operator = tw.world.users["park_operator"]
    event = events.event_create(
        actor=operator,
        data=events.EventData(title="招聘会", park="PA", starts_on=NOW.date(), ends_on=NOW.date()),
        now=NOW,
    )
    events.event_register(actor=person, event=event, now=NOW)

    personal.consent_withdraw(actor=person)
    assert not ChallengeMember.objects.exists() and not EventRegistration.objects.exists()
    assert challenges.team_contacts(actor=firm, team=team) == []
    dump = _all_text_in_database()
    assert NAME not in dump and CONTACT not in dump


def test_a_withdrawal_through_the_page_leaves_no_person_in_tables_exports_or_the_audit_log(tw: TalentWorld) -> None:
    """The page's withdrawal: the entry recording it names no account and keeps no address (the
    actor is described, not named), and neither the database, the export of profiles, the audit
    log page nor any audit snapshot holds the person's name, contact or login name."""
    import io

    from django.test import Client
    from python_calamine import CalamineWorkbook

    interest = _accepted(tw)
    person = User.objects.get(talent_profile=interest.profile)
    login = person.username
    interest_contact(actor=tw.world.users["enterprise"], interest=interest)  # the firm read the contact
    client = Client(REMOTE_ADDR="203.0.113.77")
    client.force_login(person)
    assert client.post("/talent/profile/withdraw/").status_code == 302
    entry = AuditLog.objects.get(action="delete", object_type="talent.Profile")
    assert (entry.actor, entry.actor_name, entry.ip_address) == (None, personal.ACTOR_WITHDRAWN, None)
    # The person's earlier entries keep what was done under the platform-made login name (rc and eight
    # digits, never a phone or e-mail), but lose the client address.
    assert not AuditLog.objects.exclude(ip_address=None).filter(actor_name=login).exists()
    snapshots = json.dumps(
        list(AuditLog.objects.values("before", "after", "detail", "object_repr")), ensure_ascii=False
    )
    exported = tw.world.client("city_admin").post("/talent/profiles/export/", {"reason": "撤回后核查"})
    assert exported.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(exported.content))
    cells = "\n".join(
        str(cell) for name in book.sheet_names for line in book.get_sheet_by_name(name).to_python() for cell in line
    )
    auditor = tw.world.client("auditor").get("/core/audit/").content.decode()
    assert personal.ACTOR_WITHDRAWN in auditor
    for text in (_all_text_in_database(), snapshots, cells, auditor):
        assert NAME not in text and CONTACT not in text and "203.0.113.77" not in text
    assert login not in cells

"""Persona rows of 人才直通车 (yuanqu/talent): every page and API operation, for each persona. No
persona of the shared world is a 人才用户, so the person's own routes answer 403 to everyone here;
yuanqu/talent/tests walk them as a person. The objects: an opening of E1 in park PA, a person who
accepted E1's interest in it, and a person who shows their profile to all firms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from tests.persona.matrix import (
    CITY,
    CITY_ADMINS,
    DENIED,
    DISTRICTS,
    DONE,
    DONE_201,
    DONE_204,
    DONE_302,
    FIRMS,
    HANDLERS,
    HIDDEN,
    OK,
    PARKS,
    REDIRECT,
    R,
    _count,
    _value,
    access,
)
from tests.persona.world import PersonaWorld


def _soon() -> str:
    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


STAFF = (*CITY, *DISTRICTS, *PARKS)
READERS = (*STAFF, *FIRMS)
# 责任单位办理人 (core.permissions.talent_unit_reach): "handler" acts for 市经信局 (the demand: openings,
# events, challenges), "handler_other" for 市人才局 (the whole picture, and the city's talent handlers'
# writes: unmasking, export, the register, grants).
UNIT_HANDLERS = HANDLERS
UNIT_READERS = (*READERS, *HANDLERS)
TALENT_HANDLERS = (*CITY_ADMINS, "handler_other")
_OPENING = {
    "title": "矩阵视觉工程师",
    "chain": "laser",
    "salary_min": "8000",
    "salary_max": "12000",
    "headcount": "1",
    "valid_from": "2026-03-01",
    "valid_to": "2026-12-31",
}
_OPENING_API = {**_OPENING, "salary_min": 8000, "salary_max": 12000, "headcount": 1}
# The opening of E1: the city, E1's district and park, and E1 read it; the others are out of scope.
IN_E1 = (*CITY, "district_jiangxia", "park_operator", "enterprise")
OUT_E1 = ("district_caidian", "park_operator_pc", "enterprise_e3")


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _grant(refs: Mapping[str, str]) -> dict[str, str]:
    # No amount: the policy's rule gives it (a doctor without a senior title: 10 万元).
    return {
        "profile": refs["talent_profile_hired"],
        "policy": "high_level_research",
        "uscc": refs["talent_uscc_e1"],
        "decision_number": "矩阵〔2026〕1号",
    }


def _honour(refs: Mapping[str, str]) -> dict[str, str]:
    return {"kind": "craftsman", "name": "矩阵工匠", "uscc": refs["talent_uscc_e1"], "awarded_on": "2025-01-01"}


def _event() -> dict[str, str]:
    return {"title": "矩阵招聘会", "park": "PA", "starts_on": _today(), "ends_on": _today()}


def _challenge() -> dict[str, object]:
    return {"title": "矩阵难题", "description": "散热", "reward": 50, "deadline": _soon()}


# Who runs PA's events: the city's administrators, 江夏 and PA's operator; 蔡甸 and PC's operator do
# not find them; every other role is refused.
_EVENT_ORGANISERS = (
    (CITY_ADMINS, DONE),
    ("district_jiangxia", DONE),
    ("park_operator", DONE),
    ("district_caidian", HIDDEN),
    ("park_operator_pc", HIDDEN),
)

ROWS = [
    R("talent:home", "by role", "GET", "/talent/", access(DENIED, (UNIT_READERS, OK), talent_person=OK)),
    R(
        "talent:register",
        "form",
        "GET",
        "/talent/register/",
        access(REDIRECT, anonymous=OK, auditor=DENIED, finance_bureau=DENIED),
    ),
    R(
        "talent:register",
        "send a code",
        "POST",
        "/talent/register/",
        access(REDIRECT, anonymous=DONE_302, auditor=DENIED, finance_bureau=DENIED),
        body={"contact": "matrix.person@example.com"},
        write=_count("talent.Verification"),
    ),
    R(
        "talent:register_confirm",
        "no code asked",
        "GET",
        "/talent/register/confirm/",
        access(REDIRECT, anonymous=REDIRECT, auditor=DENIED, finance_bureau=DENIED),
    ),
    R(
        "talent:register_confirm",
        "no code asked",
        "POST",
        "/talent/register/confirm/",
        access(REDIRECT, anonymous=REDIRECT, auditor=DENIED, finance_bureau=DENIED),
        body={"code": "123456", "name": "矩阵", "password": "x", "consent": "on", "consent_version": "2026.1"},
        write=_count("core.User", role="talent"),
    ),
    R("talent:profile_edit", "a person's own", "GET", "/talent/profile/", access(DENIED, talent_person=OK)),
    R(
        "talent:profile_edit",
        "a person's own",
        "POST",
        "/talent/profile/",
        access(DENIED, talent_person=DONE_302),
        body={"name": "矩阵", "visibility": "all"},
        write=_count("core.AuditLog", object_type="talent.Profile"),
    ),
    R(
        "talent:withdraw",
        "a person's own",
        "POST",
        "/talent/profile/withdraw/",
        access(DENIED, talent_person=DONE_302),
        write=_count("talent.Profile"),
        # Withdrawing erases the person's account: the audit entry of the deletion names no actor.
        audited=False,
    ),
    R(
        "talent:profile_unmask",
        "the accepted person",
        "POST",
        "/talent/profiles/{talent_profile}/unmask/",
        access(DENIED, (TALENT_HANDLERS, OK)),  # any other role is refused before the profile is looked up
        body={"reason": "矩阵核查"},
        write=_count("talent.Profile"),
    ),
    R(
        "talent:opening_new",
        "post",
        "POST",
        "/talent/openings/new/",
        access(DENIED, (FIRMS, DONE_302)),
        body=_OPENING,
        write=_count("talent.Opening"),
    ),
    R(
        "talent:opening",
        "E1's",
        "GET",
        "/talent/openings/{talent_opening}/",
        access(DENIED, (IN_E1, OK), (UNIT_HANDLERS, OK), (OUT_E1, HIDDEN), talent_person=OK),
    ),
    R(
        "talent:opening_close",
        "E1's",
        "POST",
        "/talent/openings/{talent_opening}/close/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        write=_value("talent.Opening", "status", pk="{talent_opening}"),
    ),
    R(
        "talent:interest_new",
        "E1's opening, the findable person",
        "POST",
        "/talent/interests/new/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body={"opening": "{talent_opening}", "profile": "{talent_profile_free}"},
        write=_count("talent.Interest"),
    ),
    R(
        "talent:interest_answer",
        "a person's own",
        "POST",
        "/talent/interests/{talent_interest}/answer/",
        access(DENIED, talent_person=HIDDEN),
        body={"accept": "yes"},
        write=_value("talent.Interest", "status", pk="{talent_interest}"),
    ),
    R(
        "talent:interest_outcome",
        "hired",
        "POST",
        "/talent/interests/{talent_interest}/outcome/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body={"outcome": "hired"},
        write=_value("talent.Interest", "outcome", pk="{talent_interest}"),
    ),
    R(
        "talent:challenges",
        "by role",
        "GET",
        "/talent/challenges/",
        access(DENIED, (UNIT_READERS, OK), talent_person=OK),
    ),
    R(
        "talent:challenge_new",
        "post",
        "POST",
        "/talent/challenges/new/",
        access(DENIED, (FIRMS, DONE_302)),
        body=lambda refs: {"title": "矩阵难题", "description": "散热", "reward": "50", "deadline": _soon()},
        write=_count("talent.Challenge"),
    ),
    R(
        "talent:challenge",
        "E1's",
        "GET",
        "/talent/challenges/{talent_challenge}/",
        access(DENIED, (IN_E1, OK), (UNIT_HANDLERS, OK), (OUT_E1, HIDDEN), talent_person=OK),
    ),
    R(
        "talent:team_new",
        "a person's own",
        "POST",
        "/talent/challenges/{talent_challenge}/teams/new/",
        access(DENIED, talent_person=DONE_302),
        body={"name": "矩阵队"},
        write=_count("talent.ChallengeTeam"),
    ),
    R(
        "talent:challenge_outcome",
        "E1's, a team selected",
        "POST",
        "/talent/challenges/{talent_challenge_selected}/outcome/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body={"outcome": "achieved"},
        write=_value("talent.Challenge", "status", pk="{talent_challenge_selected}"),
    ),
    R(
        "talent:team_invite",
        "a person's own",
        "POST",
        "/talent/teams/{talent_team_forming}/invite/",
        access(DENIED, talent_person=HIDDEN),
        body={"username": "rc00000000"},
        write=_count("talent.ChallengeMember"),
    ),
    R(
        "talent:team_apply",
        "a person's own",
        "POST",
        "/talent/teams/{talent_team_forming}/apply/",
        access(DENIED, talent_person=HIDDEN),
        write=_value("talent.ChallengeTeam", "status", pk="{talent_team_forming}"),
    ),
    R(
        "talent:team_select",
        "an applied team of E1's challenge",
        "POST",
        "/talent/teams/{talent_team}/select/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        write=_value("talent.ChallengeTeam", "status", pk="{talent_team}"),
    ),
    R(
        "talent:member_answer",
        "a person's own",
        "POST",
        "/talent/team-members/{talent_member}/answer/",
        access(DENIED, talent_person=HIDDEN),
        body={"accept": "yes"},
        write=_value("talent.ChallengeMember", "status", pk="{talent_member}"),
    ),
    R("talent:events", "by role", "GET", "/talent/events/", access(DENIED, (UNIT_READERS, OK), talent_person=OK)),
    R(
        "talent:event_new",
        "an event of PA",
        "POST",
        "/talent/events/new/",
        access(DENIED, (CITY_ADMINS, DONE_302), district_jiangxia=DONE_302, park_operator=DONE_302),
        body=lambda refs: {"title": "矩阵招聘会", "park": "PA", "starts_on": _soon(), "ends_on": _soon()},
        write=_count("talent.RecruitmentEvent"),
    ),
    R(
        "talent:event",
        "PA's",
        "GET",
        "/talent/events/{talent_event}/",
        access(DENIED, (UNIT_READERS, OK), district_caidian=HIDDEN, park_operator_pc=HIDDEN, talent_person=OK),
    ),
    R(
        "talent:event_firm_add",
        "E3 to PA's",
        "POST",
        "/talent/events/{talent_event}/firms/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            district_jiangxia=DONE_302,
            park_operator=DONE_302,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
        ),
        body={"uscc": "{talent_uscc_e3}"},
        write=_count("core.AuditLog", object_type="talent.RecruitmentEvent"),
    ),
    R(
        "talent:event_opening_add",
        "E1's opening to PA's",
        "POST",
        "/talent/events/{talent_event}/openings/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body={"opening": "{talent_opening}"},
        write=_count("core.AuditLog", object_type="talent.RecruitmentEvent"),
    ),
    R(
        "talent:event_register",
        "a person's own",
        "POST",
        "/talent/events/{talent_event}/register/",
        access(DENIED, talent_person=DONE_302),
        write=_count("talent.EventRegistration"),
    ),
    R(
        "talent:event_outcome",
        "PA's",
        "POST",
        "/talent/events/{talent_event}/outcome/",
        access(
            DENIED,
            (CITY_ADMINS, DONE_302),
            district_jiangxia=DONE_302,
            park_operator=DONE_302,
            district_caidian=HIDDEN,
            park_operator_pc=HIDDEN,
        ),
        body={"visitors": "10", "interviews": "5", "offers": "2", "hires": "1"},
        write=_value("talent.RecruitmentEvent", "hires", pk="{talent_event}"),
    ),
    R(
        "talent:profiles_export",
        "every profile in clear, with a reason",
        "POST",
        "/talent/profiles/export/",
        access(DENIED, (TALENT_HANDLERS, DONE)),
        body={"reason": "矩阵核验"},
        write=_count("core.AuditLog", action="export", object_type="talent.Profile"),
    ),
    R("talent:honours", "by role", "GET", "/talent/honours/", access(DENIED, (READERS, OK), handler_other=OK)),
    R(
        "talent:honour_new",
        "a studio at E1",
        "POST",
        "/talent/honours/new/",
        access(DENIED, (TALENT_HANDLERS, DONE_302)),
        body={"kind": "master_studio", "name": "矩阵工作室", "uscc": "{talent_uscc_e1}", "awarded_on": "2025-01-01"},
        write=_count("talent.TalentHonour"),
    ),
    R(
        "talent:honour",
        "E1's entry",
        "GET",
        "/talent/honours/{talent_honour}/",
        access(DENIED, (IN_E1, OK), (OUT_E1, HIDDEN), handler_other=OK),
    ),
    R(
        "talent:honour_correct",
        "E1's entry, a new date",
        "POST",
        "/talent/honours/{talent_honour}/correct/",
        access(DENIED, (TALENT_HANDLERS, DONE_302), (OUT_E1, HIDDEN), talent_person=HIDDEN, handler=HIDDEN),
        body=lambda refs: {**_honour(refs), "awarded_on": "2025-02-02", "reason": "矩阵更正"},
        write=_count("talent.HonourRevision"),
    ),
    R("talent:grants", "by role", "GET", "/talent/grants/", access(DENIED, (STAFF, OK), handler_other=OK)),
    R(
        "talent:grant_new",
        "the hired person, 高层次研发人才项目资助",
        "POST",
        "/talent/grants/new/",
        access(DENIED, (TALENT_HANDLERS, DONE_302)),
        body=lambda refs: _grant(refs),
        write=_count("talent.TalentGrant"),
    ),
    R(
        "talent:grant_pay",
        "the confirmed grant",
        "POST",
        "/talent/grants/{talent_grant}/pay/",
        access(DENIED, (TALENT_HANDLERS, DONE_302)),
        body=lambda refs: {"paid_on": _today()},
        write=_value("talent.TalentGrant", "paid_on", pk="{talent_grant}"),
    ),
    R("GET /api/v1/talent/me", "a person's own", "GET", "/api/v1/talent/me", access(DENIED, talent_person=OK)),
    R(
        "PUT /api/v1/talent/me",
        "a person's own",
        "PUT",
        "/api/v1/talent/me",
        access(DENIED, talent_person=DONE),
        body={"name": "矩阵"},
        write=_count("core.AuditLog", object_type="talent.Profile"),
    ),
    R(
        "DELETE /api/v1/talent/me",
        "a person's own",
        "DELETE",
        "/api/v1/talent/me",
        access(DENIED, talent_person=DONE_204),
        write=_count("talent.Profile"),
        # Withdrawing erases the person's account: the audit entry of the deletion names no actor.
        audited=False,
    ),
    R(
        "GET /api/v1/talent/me/matches",
        "a person's own",
        "GET",
        "/api/v1/talent/me/matches",
        access(DENIED, talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/openings",
        "list",
        "GET",
        "/api/v1/talent/openings",
        access(DENIED, (UNIT_READERS, OK), talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/events",
        "list",
        "GET",
        "/api/v1/talent/events",
        access(DENIED, (UNIT_READERS, OK), talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/events/{pk}",
        "PA's",
        "GET",
        "/api/v1/talent/events/{talent_event}",
        access(DENIED, (UNIT_READERS, OK), district_caidian=HIDDEN, park_operator_pc=HIDDEN, talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/challenges",
        "list",
        "GET",
        "/api/v1/talent/challenges",
        access(DENIED, (UNIT_READERS, OK), talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/challenges/{pk}",
        "E1's",
        "GET",
        "/api/v1/talent/challenges/{talent_challenge}",
        access(DENIED, (IN_E1, OK), (UNIT_HANDLERS, OK), (OUT_E1, HIDDEN), talent_person=OK),
    ),
    R(
        "GET /api/v1/talent/honours",
        "list",
        "GET",
        "/api/v1/talent/honours",
        access(DENIED, (READERS, OK), handler_other=OK),
    ),
    R(
        "GET /api/v1/talent/honours/{pk}",
        "E1's",
        "GET",
        "/api/v1/talent/honours/{talent_honour}",
        access(DENIED, (IN_E1, OK), (OUT_E1, HIDDEN), handler_other=OK),
    ),
    R(
        "POST /api/v1/talent/honours",
        "an alliance member at E1",
        "POST",
        "/api/v1/talent/honours",
        access(DENIED, (TALENT_HANDLERS, DONE_201)),
        body=lambda refs: {**_honour(refs), "kind": "alliance"},
        write=_count("talent.TalentHonour"),
    ),
    R(
        "PUT /api/v1/talent/honours/{pk}",
        "E1's entry, a new date",
        "PUT",
        "/api/v1/talent/honours/{talent_honour}",
        access(DENIED, (TALENT_HANDLERS, DONE), (OUT_E1, HIDDEN)),
        body=lambda refs: {**_honour(refs), "awarded_on": "2025-02-02", "reason": "矩阵更正"},
        write=_count("talent.HonourRevision"),
    ),
    R(
        "GET /api/v1/talent/grants",
        "list",
        "GET",
        "/api/v1/talent/grants",
        access(DENIED, (STAFF, OK), handler_other=OK, talent_person=OK),
    ),
    R(
        "POST /api/v1/talent/grants",
        "the hired person, 高层次研发人才项目资助",
        "POST",
        "/api/v1/talent/grants",
        access(DENIED, (TALENT_HANDLERS, DONE_201)),
        body=lambda refs: {**_grant(refs), "profile": int(refs["talent_profile_hired"])},
        write=_count("talent.TalentGrant"),
    ),
    R(
        "GET /api/v1/talent/grants/quote",
        "the hired person, 青年人才安居保障",
        "GET",
        "/api/v1/talent/grants/quote?profile={talent_profile_hired}&policy=talent_housing",
        access(DENIED, (TALENT_HANDLERS, OK)),
    ),
    R(
        "POST /api/v1/talent/grants/{pk}/pay",
        "the confirmed grant",
        "POST",
        "/api/v1/talent/grants/{talent_grant}/pay",
        access(DENIED, (TALENT_HANDLERS, DONE)),
        body=lambda refs: {"paid_on": _today()},
        write=_value("talent.TalentGrant", "paid_on", pk="{talent_grant}"),
    ),
    R(
        "POST /api/v1/talent/openings",
        "post",
        "POST",
        "/api/v1/talent/openings",
        access(DENIED, (FIRMS, DONE_201)),
        body=_OPENING_API,
        write=_count("talent.Opening"),
    ),
    R(
        "POST /api/v1/talent/openings/{pk}/close",
        "E1's",
        "POST",
        "/api/v1/talent/openings/{talent_opening}/close",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        write=_value("talent.Opening", "status", pk="{talent_opening}"),
    ),
    R(
        "GET /api/v1/talent/openings/{pk}/candidates",
        "E1's",
        "GET",
        "/api/v1/talent/openings/{talent_opening}/candidates",
        access(DENIED, enterprise=OK, enterprise_e3=HIDDEN),
    ),
    R(
        "GET /api/v1/talent/interests",
        "list",
        "GET",
        "/api/v1/talent/interests",
        access(DENIED, (FIRMS, OK), talent_person=OK),
    ),
    R(
        "POST /api/v1/talent/interests",
        "E1's opening, the findable person",
        "POST",
        "/api/v1/talent/interests",
        access(DENIED, enterprise=DONE_201, enterprise_e3=HIDDEN),
        body=lambda refs: {"opening": int(refs["talent_opening"]), "profile": int(refs["talent_profile_free"])},
        write=_count("talent.Interest"),
    ),
    R(
        "POST /api/v1/talent/interests/{pk}/answer",
        "a person's own",
        "POST",
        "/api/v1/talent/interests/{talent_interest}/answer",
        access(DENIED, talent_person=HIDDEN),
        body={"accept": True},
        write=_value("talent.Interest", "status", pk="{talent_interest}"),
    ),
    R(
        "POST /api/v1/talent/interests/{pk}/outcome",
        "hired",
        "POST",
        "/api/v1/talent/interests/{talent_interest}/outcome",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        body={"outcome": "hired"},
        write=_value("talent.Interest", "outcome", pk="{talent_interest}"),
    ),
    R(
        "talent:event_edit",
        "PA's, a venue",
        "POST",
        "/talent/events/{talent_event}/edit/",
        access(DENIED, *((names, DONE_302 if answer == DONE else answer) for names, answer in _EVENT_ORGANISERS)),
        body=lambda refs: {**_event(), "venue": "矩阵会场"},
        write=_value("talent.RecruitmentEvent", "venue", pk="{talent_event}"),
    ),
    R(
        "talent:challenge_edit",
        "E1's, no team applied",
        "POST",
        "/talent/challenges/{talent_challenge_fresh}/edit/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        body=lambda refs: {**_challenge(), "reward": "60"},
        write=_value("talent.Challenge", "reward", pk="{talent_challenge_fresh}"),
    ),
    R(
        "talent:challenge_close",
        "E1's, no team applied",
        "POST",
        "/talent/challenges/{talent_challenge_fresh}/close/",
        access(DENIED, enterprise=DONE_302, enterprise_e3=HIDDEN),
        write=_value("talent.Challenge", "status", pk="{talent_challenge_fresh}"),
    ),
    # 专项招聘 events and 揭榜挂帅 challenges written through the API: the pages' services and scope.
    R(
        "POST /api/v1/talent/events",
        "an event of PA",
        "POST",
        "/api/v1/talent/events",
        access(DENIED, (CITY_ADMINS, DONE_201), district_jiangxia=DONE_201, park_operator=DONE_201),
        body=lambda refs: {"title": "矩阵招聘会", "park": "PA", "starts_on": _soon(), "ends_on": _soon()},
        write=_count("talent.RecruitmentEvent"),
    ),
    R(
        "PUT /api/v1/talent/events/{pk}",
        "PA's, a venue",
        "PUT",
        "/api/v1/talent/events/{talent_event}",
        access(DENIED, *_EVENT_ORGANISERS),
        body=lambda refs: {**_event(), "venue": "矩阵会场"},
        write=_value("talent.RecruitmentEvent", "venue", pk="{talent_event}"),
    ),
    R(
        "POST /api/v1/talent/events/{pk}/firms",
        "E3 to PA's",
        "POST",
        "/api/v1/talent/events/{talent_event}/firms",
        access(DENIED, *_EVENT_ORGANISERS),
        body={"uscc": "{talent_uscc_e3}"},
        write=_count("core.AuditLog", object_type="talent.RecruitmentEvent"),
    ),
    R(
        "POST /api/v1/talent/events/{pk}/openings",
        "E1's opening to PA's",
        "POST",
        "/api/v1/talent/events/{talent_event}/openings",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        body=lambda refs: {"opening": int(refs["talent_opening"])},
        write=_count("core.AuditLog", object_type="talent.RecruitmentEvent"),
    ),
    R(
        "POST /api/v1/talent/events/{pk}/register",
        "a person's own",
        "POST",
        "/api/v1/talent/events/{talent_event}/register",
        access(DENIED, talent_person=DONE_201),
        write=_count("talent.EventRegistration"),
    ),
    R(
        "POST /api/v1/talent/events/{pk}/outcome",
        "PA's",
        "POST",
        "/api/v1/talent/events/{talent_event}/outcome",
        access(DENIED, *_EVENT_ORGANISERS),
        body={"visitors": 10, "interviews": 5, "offers": 2, "hires": 1},
        write=_value("talent.RecruitmentEvent", "hires", pk="{talent_event}"),
    ),
    R(
        "POST /api/v1/talent/challenges",
        "post",
        "POST",
        "/api/v1/talent/challenges",
        access(DENIED, (FIRMS, DONE_201)),
        body=lambda refs: _challenge(),
        write=_count("talent.Challenge"),
    ),
    R(
        "PUT /api/v1/talent/challenges/{pk}",
        "E1's, no team applied",
        "PUT",
        "/api/v1/talent/challenges/{talent_challenge_fresh}",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        body=lambda refs: {**_challenge(), "reward": 60},
        write=_value("talent.Challenge", "reward", pk="{talent_challenge_fresh}"),
    ),
    R(
        "POST /api/v1/talent/challenges/{pk}/close",
        "E1's, no team applied",
        "POST",
        "/api/v1/talent/challenges/{talent_challenge_fresh}/close",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        write=_value("talent.Challenge", "status", pk="{talent_challenge_fresh}"),
    ),
    R(
        "POST /api/v1/talent/challenges/{pk}/outcome",
        "E1's, a team selected",
        "POST",
        "/api/v1/talent/challenges/{talent_challenge_selected}/outcome",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        body={"outcome": "achieved"},
        write=_value("talent.Challenge", "status", pk="{talent_challenge_selected}"),
    ),
    R(
        "GET /api/v1/talent/challenges/{pk}/teams",
        "E1's open one",
        "GET",
        "/api/v1/talent/challenges/{talent_challenge}/teams",
        access(DENIED, enterprise=OK, enterprise_e3=HIDDEN, talent_person=OK),
    ),
    R(
        "POST /api/v1/talent/challenges/{pk}/teams",
        "a person's own",
        "POST",
        "/api/v1/talent/challenges/{talent_challenge}/teams",
        access(DENIED, talent_person=DONE_201),
        body={"name": "矩阵队"},
        write=_count("talent.ChallengeTeam"),
    ),
    R(
        "POST /api/v1/talent/teams/{pk}/invite",
        "another person's team",
        "POST",
        "/api/v1/talent/teams/{talent_team_forming}/invite",
        access(DENIED, talent_person=HIDDEN),
        body={"username": "rc00000000"},
        write=_count("talent.ChallengeMember"),
    ),
    R(
        "POST /api/v1/talent/teams/{pk}/apply",
        "another person's team",
        "POST",
        "/api/v1/talent/teams/{talent_team_forming}/apply",
        access(DENIED, talent_person=HIDDEN),
        write=_value("talent.ChallengeTeam", "status", pk="{talent_team_forming}"),
    ),
    R(
        "POST /api/v1/talent/team-members/{pk}/answer",
        "another person's invitation",
        "POST",
        "/api/v1/talent/team-members/{talent_member}/answer",
        access(DENIED, talent_person=HIDDEN),
        body={"accept": True},
        write=_value("talent.ChallengeMember", "status", pk="{talent_member}"),
    ),
    R(
        "POST /api/v1/talent/teams/{pk}/select",
        "an applied team of E1's challenge",
        "POST",
        "/api/v1/talent/teams/{talent_team}/select",
        access(DENIED, enterprise=DONE, enterprise_e3=HIDDEN),
        write=_value("talent.ChallengeTeam", "status", pk="{talent_team}"),
    ),
    R(
        "GET /api/v1/talent/teams/{pk}/contacts",
        "E1's selected team",
        "GET",
        "/api/v1/talent/teams/{talent_team_selected}/contacts",
        access(DENIED, enterprise=OK, enterprise_e3=HIDDEN),
    ),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    """An opening of E1 in park PA (chain 激光), a person who accepted E1's interest in it and a
    person who shows their profile to all firms, made through the talent services."""
    from django.utils import timezone

    from yuanqu.registry.models import Enterprise, IndustryChain
    from yuanqu.talent.config import config
    from yuanqu.talent.models import Profile
    from yuanqu.talent.services.challenges import (
        ChallengeData,
        challenge_create,
        team_apply,
        team_create,
        team_invite,
        team_select,
    )
    from yuanqu.talent.services.events import EventData, event_create, event_firm_add
    from yuanqu.talent.services.grants import GrantData, grant_confirm
    from yuanqu.talent.services.honours import HonourData, honour_create
    from yuanqu.talent.services.interests import interest_answer, interest_express, interest_outcome
    from yuanqu.talent.services.openings import OpeningData, opening_create
    from yuanqu.talent.services.profiles import ProfileData, profile_update
    from yuanqu.talent.services.registration import registration_confirm, registration_start

    now = timezone.now()
    today = timezone.localdate(now)  # the platform's day (Asia/Shanghai), as the services count it
    IndustryChain.objects.get_or_create(code="laser", defaults={"name": "激光", "kind": IndustryChain.Kind.KEY_CHAIN})
    opening = opening_create(
        actor=world.users["enterprise"],
        data=OpeningData(
            title="激光设备视觉工程师",
            chain="laser",
            salary_min=8000,
            salary_max=15000,
            valid_from=today - dt.timedelta(days=1),
            valid_to=today + dt.timedelta(days=300),
            skill_tags=["机器视觉"],
        ),
        now=now,
    )
    people = []
    for index, name in enumerate(("矩阵甲", "矩阵乙", "矩阵丙", "矩阵丁", "矩阵戊")):
        started = registration_start(contact=f"matrix{index}@example.com", address=None, now=now)
        user = registration_confirm(
            verification_id=started.verification.pk,
            code=started.code,
            name=name,
            password="Matrix-person-2026!",
            consent_version=config().consent.version,
            consented=True,
            now=now,
        )
        people.append(profile_update(actor=user, data=ProfileData(name=name, visibility="all"), now=now))
    accepted, free, leader, invitee, solo = people
    interest = interest_express(actor=world.users["enterprise"], opening=opening, profile=accepted, now=now)
    interest_answer(actor=accepted.user, interest=interest, accept=True, now=now)
    assert Profile.objects.count() == 5
    # 人才政策兑现: a doctor hired by E1, confirmed for 青年人才安居保障 (not yet paid).
    started = registration_start(contact="matrix.hired@example.com", address=None, now=now)
    hired_user = registration_confirm(
        verification_id=started.verification.pk,
        code=started.code,
        name="矩阵己",
        password="Matrix-person-2026!",
        consent_version=config().consent.version,
        consented=True,
        now=now,
    )
    hired = profile_update(
        actor=hired_user, data=ProfileData(name="矩阵己", education="doctor", visibility="all"), now=now
    )
    hire = interest_express(actor=world.users["enterprise"], opening=opening, profile=hired, now=now)
    interest_answer(actor=hired_user, interest=hire, accept=True, now=now)
    interest_outcome(actor=world.users["enterprise"], interest=hire, outcome="hired", now=now)
    e1_firm = opening.enterprise
    grant = grant_confirm(
        actor=world.users["city_admin"],
        profile=hired,
        data=GrantData(
            policy="talent_housing", uscc=e1_firm.uscc, amount_wan_yuan=None, decision_number="矩阵〔2026〕0号"
        ),
        now=now,
    )
    # 揭榜挂帅: an open challenge of E1 with a forming team (one invitation pending) and an applied
    # team; a second challenge of E1 with a team selected.
    firm = world.users["enterprise"]
    data = ChallengeData(title="矩阵榜单", description="散热", reward=50, deadline=today + dt.timedelta(days=60))
    challenge = challenge_create(actor=firm, data=data, now=now)
    forming = team_create(actor=leader.user, challenge=challenge, name="组队中", proposal="", now=now)
    member = team_invite(actor=leader.user, team=forming, username=invitee.user.username, now=now)
    applied = team_create(actor=solo.user, challenge=challenge, name="已揭榜", proposal="", now=now)
    team_apply(actor=solo.user, team=applied, now=now)
    done = challenge_create(actor=firm, data=data, now=now)
    chosen = team_create(actor=solo.user, challenge=done, name="已入选", proposal="", now=now)
    team_apply(actor=solo.user, team=chosen, now=now)
    team_select(actor=firm, team=chosen, now=now)
    fresh = challenge_create(actor=firm, data=data, now=now)
    # 专项招聘: an event of park PA, run by its operator, with E1 taking part.
    event = event_create(
        actor=world.users["park_operator"],
        data=EventData(title="矩阵招聘会", park="PA", starts_on=today, ends_on=today),
        now=now,
    )
    e1, e3 = world.users["enterprise"].enterprise_id, world.users["enterprise_e3"].enterprise_id
    assert e1 is not None and e3 is not None
    e1_uscc = Enterprise.objects.get(pk=e1).uscc
    event_firm_add(actor=world.users["park_operator"], event=event, uscc=e1_uscc)
    # The 工匠 register: an entry of E1, entered by the city.
    honour = honour_create(
        actor=world.users["city_admin"],
        data=HonourData(kind="craftsman", name="矩阵工匠", uscc=e1_uscc, awarded_on=dt.date(2025, 1, 1)),
        now=now,
    )
    return {
        "talent_honour": str(honour.pk),
        "talent_event": str(event.pk),
        "talent_uscc_e1": e1_uscc,
        "talent_uscc_e3": Enterprise.objects.get(pk=e3).uscc,
        "talent_challenge": str(challenge.pk),
        "talent_challenge_selected": str(done.pk),
        "talent_team": str(applied.pk),
        "talent_team_selected": str(chosen.pk),
        "talent_challenge_fresh": str(fresh.pk),
        "talent_team_forming": str(forming.pk),
        "talent_member": str(member.pk),
        "talent_opening": str(opening.pk),
        "talent_profile": str(accepted.pk),
        "talent_profile_free": str(free.pk),
        "talent_interest": str(interest.pk),
        "talent_grant": str(grant.pk),
        "talent_profile_hired": str(hired.pk),
    }

"""人才直通车 pages: self-registration with a code and consent, a person's profile with the openings
that match, the policies they may qualify for and the firms' interest to answer; a firm's openings
with the candidates it may find and the contacts of those who accepted; the city's masked overview
with 紧缺人才. Thin: reads through `visible_to` and `queries`, writes through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.exports import Sheets, xlsx_response
from yuanqu.core.forms import take_post
from yuanqu.core.listing import page_of
from yuanqu.core.models import User
from yuanqu.core.pageauth import page_user, reader_where, role_reader
from yuanqu.core.permissions import is_talent_event_organiser, is_talent_handler, may_read_talent
from yuanqu.core.roles import CITY_WIDE_ROLES, Role
from yuanqu.core.rowposts import RowPosts, by_pk, new_row_post, row_post
from yuanqu.talent import exports, forms, queries
from yuanqu.talent.config import config
from yuanqu.talent.forms import NO_ACCESS
from yuanqu.talent.models import (
    Challenge,
    ChallengeMember,
    ChallengeTeam,
    Interest,
    Opening,
    Profile,
    RecruitmentEvent,
    TalentGrant,
    TalentHonour,
)
from yuanqu.talent.services import challenges, events, honours, interests, openings, personal, profiles, registration
from yuanqu.talent.services import grants as grants_service
from yuanqu.talent.services.common import NOT_STAFF, own_profile

REGISTER_SENT = gettext_noop("验证码已发送，请在%(minutes)s分钟内填写")
REGISTER_EXPIRED = gettext_noop("请先获取验证码")
REGISTERED = gettext_noop("注册成功。您的登录名为 %(username)s，请牢记并用它登录")
PROFILE_SAVED = gettext_noop("档案已保存")
WITHDRAWN = gettext_noop("您已撤回同意，档案与账号已删除")
OPENING_POSTED = gettext_noop("岗位已发布")
INTEREST_SENT = gettext_noop("已向该人才发出用人意向，对方接受后可查看联系方式")
ANSWERED = gettext_noop("已答复")
OUTCOME_SAVED = gettext_noop("结果已记录")
OPENING_CLOSED = gettext_noop("岗位已关闭")
UNMASKED = gettext_noop("已显示明文，本次查看已记入审计日志")
EXPORTED = gettext_noop("人才档案已导出，本次导出已记入审计日志")

# Who reads the staff overview: the city (人才局, 人社局 handlers are city administrators here), the
# districts and parks (their firms' openings and demand).
STAFF_READERS = CITY_WIDE_ROLES | {Role.DISTRICT, Role.PARK_OPERATOR}
SESSION_KEY = "talent_verification"


def _now() -> dt.datetime:
    return timezone.now()


def _address(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("talent:home")
    form = forms.RegisterStartForm(request.POST or None)
    throttled: list[bool] = []

    def start(data: dict[str, Any]) -> str:
        try:
            started = registration.registration_start(contact=data["contact"], address=_address(request), now=_now())
        except registration.RegistrationThrottled:
            throttled.append(True)
            raise
        request.session[SESSION_KEY] = started.verification.pk
        return _(REGISTER_SENT) % {"minutes": settings.TALENT_CODE_MINUTES}

    if request.method == "POST" and take_post(request, form, start):
        return redirect("talent:register_confirm")
    status = 429 if throttled else 200
    return render(request, "talent/register.html", {"form": form, "notice": config().consent}, status=status)


@require_http_methods(["GET", "POST"])
def register_confirm(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("talent:home")
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, int):
        messages.error(request, _(REGISTER_EXPIRED))
        return redirect("talent:register")
    notice = config().consent
    form = forms.RegisterConfirmForm(request.POST or None, initial={"consent_version": notice.version})

    def confirm(data: dict[str, Any]) -> str:
        user = registration.registration_confirm(
            verification_id=pending,
            code=data["code"],
            name=data["name"],
            password=data["password"],
            consent_version=data["consent_version"],
            consented=bool(data["consent"]),
            now=_now(),
        )
        del request.session[SESSION_KEY]
        return _(REGISTERED) % {"username": user.username}

    if request.method == "POST" and take_post(request, form, confirm):
        return redirect("login")
    retention = notice.retention.format(days=_retention_days())
    context = {"form": form, "notice": notice, "retention": retention}
    return render(request, "talent/register_confirm.html", context)


def _retention_days() -> int:
    return int(settings.TALENT_RETENTION_DAYS)


def talent_reader(
    roles: frozenset[Role] | set[Role], *, demand: bool = True, api: bool = False
) -> Callable[[HttpRequest], User]:
    """A reader for the pages (or API operations) that `roles` read, and the handlers of task 17's
    lead units as `core.permissions.may_read_talent` lets them (`demand`: 市经信局 too); any other
    user is refused with 403 before anything is looked up."""
    return reader_where(lambda user: may_read_talent(user, roles, demand=demand), NO_ACCESS, api=api)


_reader = talent_reader(STAFF_READERS | {Role.TALENT, Role.ENTERPRISE})
_staff_reader = talent_reader(STAFF_READERS, demand=False)
_honour_reader = talent_reader(STAFF_READERS | {Role.ENTERPRISE}, demand=False)


def _handler(request: HttpRequest) -> User:
    """The city's talent handlers: personal data in clear (other roles are refused before any form)."""
    user = page_user(request)
    if not is_talent_handler(user):
        raise PermissionDenied(_(NOT_STAFF))
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    if user.role == Role.TALENT:
        profile = own_profile(user)
        context = {
            "profile": profile,
            "matches": queries.openings_for(profile, on=today, limit=20),
            "interests": Interest.objects.visible_to(user).select_related("opening__enterprise"),
            "policies": [
                (policy, verdict, grants_service.grant_quote(policy, profile, on=today) if verdict.passed else None)
                for policy, verdict in queries.policies_for(profile, on=today)
            ],
            "grants": TalentGrant.objects.visible_to(user),
            "pack": config(),
        }
        return render(request, "talent/person.html", context)
    if user.role == Role.ENTERPRISE:
        rows = (
            Opening.objects.visible_to(user)
            .select_related("chain", "park")
            .annotate(asked=Count("interests"), accepted=Count("interests", filter=Q(interests__status="accepted")))
        )
        return render(request, "talent/firm.html", {"openings": rows, "form": forms.OpeningForm(), "pack": config()})
    whole = user.is_city_wide or is_talent_handler(user)
    context = {
        "shortages": queries.shortages(user, on=today),
        "flows": queries.flows(user),
        "inflow": [row for row in queries.inflow(user) if row.confirmed],
        "openings": Opening.objects.visible_to(user).count(),
        "hires": Interest.objects.filter(opening__in=Opening.objects.visible_to(user), outcome="hired").count(),
        "page": page_of(request, Profile.objects.visible_to(user).order_by("-id")) if whole else None,
        "profile_count": Profile.objects.visible_to(user).count(),
        "may_unmask": is_talent_handler(user),
    }
    return render(request, "talent/staff.html", context)


_talent = role_reader({Role.TALENT}, NO_ACCESS, superuser=False)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _talent(request)
    profile = own_profile(user)
    initial = {
        "name": profile.name,
        "education": profile.education,
        "experience_years": profile.experience_years,
        "skills_text": profile.skills_text,
        "skill_tags": "、".join(profile.skill_tags),
        "title_grade": profile.title_grade,
        "skill_grade": profile.skill_grade,
        "certificates": profile.certificates,
        "desired_roles": profile.desired_roles,
        "salary_min": profile.salary_min,
        "salary_max": profile.salary_max,
        "park_codes": "、".join(park.code for park in profile.parks.all()),
        "visibility": profile.visibility,
        "chain_codes": "、".join(chain.code for chain in profile.visible_chains.all()),
    }
    form = forms.ProfileForm(request.POST or None, initial=initial)

    def save(_data: dict[str, Any]) -> str:
        profiles.profile_update(actor=user, data=profiles.ProfileData(**form.schema_data()), now=_now())
        return _(PROFILE_SAVED)

    if request.method == "POST" and take_post(request, form, save):
        return redirect("talent:home")
    return render(request, "talent/profile_edit.html", {"form": form, "pack": config()})


@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    user = _talent(request)
    personal.consent_withdraw(actor=user)
    logout(request)
    messages.success(request, _(WITHDRAWN))
    return redirect("talent:register")


_firm = role_reader({Role.ENTERPRISE}, NO_ACCESS, superuser=False)


def _its_challenge(team: ChallengeTeam) -> Mapping[str, object]:
    """Back to the challenge page of the team the post acted on."""
    return {"pk": team.challenge_id}


@login_required
@require_POST
def opening_new(request: HttpRequest) -> HttpResponse:
    user = _firm(request)
    form = forms.OpeningForm(request.POST)

    def post(_data: dict[str, Any]) -> str:
        openings.opening_create(actor=user, data=openings.OpeningData(**form.schema_data()), now=_now())
        return _(OPENING_POSTED)

    take_post(request, form, post)
    return redirect("talent:home")


opening_close = row_post(
    reader=_firm,
    rows=Opening.objects.all(),
    step=lambda user, row, _data: openings.opening_close(actor=user, opening=row),
    done=OPENING_CLOSED,
    back="talent:opening",
    back_args=by_pk,
)


@login_required
def opening(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    row = get_visible_or_404(Opening.objects.select_related("enterprise", "chain", "park"), user, pk=pk)
    mine = user.role == Role.ENTERPRISE and row.enterprise_id == user.enterprise_id
    asked = list(row.interests.select_related("profile")) if mine else []
    contacts = {
        interest.pk: interests.interest_contact(actor=user, interest=interest)
        for interest in asked
        if interest.status == Interest.Status.ACCEPTED and interest.profile is not None
    }
    asked_ids = {interest.profile_id for interest in asked}
    candidates = [item for item in queries.candidates_for(row) if item.profile and item.profile.pk not in asked_ids]
    context = {
        "opening": row,
        "mine": mine,
        "asked": [(interest, contacts.get(interest.pk)) for interest in asked],
        "candidates": candidates if mine else [],
        "pack": config(),
    }
    return render(request, "talent/opening.html", context)


@login_required
@require_POST
def interest_new(request: HttpRequest) -> HttpResponse:
    user = _firm(request)
    form = forms.InterestForm(request.POST)

    def express(cleaned: dict[str, Any]) -> str:
        row = get_visible_or_404(Opening.objects.all(), user, pk=cleaned["opening"])
        profile = queries.findable_by(row).filter(pk=cleaned["profile"]).first()
        if profile is None:
            raise ValidationError(_(interests.NOT_FINDABLE))
        interests.interest_express(actor=user, opening=row, profile=profile, now=_now())
        return _(INTEREST_SENT)

    take_post(request, form, express)
    return redirect("talent:opening", pk=form.cleaned_data["opening"])


interest_answer = row_post(
    reader=_talent,
    rows=Interest.objects.select_related("profile"),
    form=forms.AnswerForm,
    step=lambda user, row, data: interests.interest_answer(
        actor=user, interest=row, accept=data["accept"] == "yes", now=_now()
    ),
    done=ANSWERED,
    back="talent:home",
)


interest_outcome = row_post(
    reader=_firm,
    rows=Interest.objects.select_related("opening", "profile"),
    form=forms.OutcomeForm,
    step=lambda user, row, data: interests.interest_outcome(
        actor=user, interest=row, outcome=data["outcome"], now=_now()
    ),
    done=OUTCOME_SAVED,
    back="talent:opening",
    back_args=lambda row: {"pk": row.opening_id},
)


@login_required
@require_POST
def profile_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    user = _handler(request)
    profile = get_visible_or_404(Profile.objects.all(), user, pk=pk)
    shown: list[tuple[str, str]] = []

    def unmask(data: dict[str, Any]) -> str:
        shown.append(personal.profile_unmask(actor=user, profile=profile, reason=data["reason"]))
        return _(UNMASKED)

    if not take_post(request, forms.UnmaskForm(request.POST), unmask):
        return redirect("talent:home")
    name, contact = shown[0]
    return render(request, "talent/unmasked.html", {"profile": profile, "name": name, "contact": contact})


CHALLENGE_POSTED = gettext_noop("榜单已发布")
TEAM_FORMED = gettext_noop("团队已组建，请邀请成员；全部成员同意后即可揭榜")
INVITED = gettext_noop("邀请已发出，对方同意后方为团队成员")
TEAM_APPLIED = gettext_noop("已揭榜，等待企业选定")
TEAM_SELECTED = gettext_noop("已选定该团队")
CHALLENGE_DONE = gettext_noop("结果已记录，榜单已结题")


@login_required
def challenges_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    rows = (
        Challenge.objects.visible_to(user)
        .select_related("enterprise", "chain")
        .annotate(applied=Count("teams", filter=~Q(teams__status=ChallengeTeam.Status.FORMING)))
    )
    invitations = []
    if user.role == Role.TALENT:
        invitations = list(
            ChallengeMember.objects.filter(profile__user=user, status=ChallengeMember.Status.INVITED).select_related(
                "team__challenge__enterprise"
            )
        )
    context = {
        "page": page_of(request, rows.order_by("-created_at", "-id")),
        "invitations": invitations,
        "form": forms.ChallengeForm() if user.role == Role.ENTERPRISE else None,
    }
    return render(request, "talent/challenges.html", context)


challenge_new = new_row_post(
    _firm,
    CHALLENGE_POSTED,
    lambda user, data: challenges.challenge_create(actor=user, data=challenges.ChallengeData(**data), now=_now()),
    forms.ChallengeForm,
    back="talent:challenges",
    made="talent:challenge",
)


@login_required
def challenge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    row = get_visible_or_404(Challenge.objects.select_related("enterprise", "chain"), user, pk=pk)
    mine = user.role == Role.ENTERPRISE and row.enterprise_id == user.enterprise_id
    teams = ChallengeTeam.objects.visible_to(user).filter(challenge=row).prefetch_related("members__profile")
    contacts: dict[int, list[tuple[str, str]]] = {}
    if mine:
        for team in teams:
            if team.status == ChallengeTeam.Status.SELECTED:
                contacts[team.pk] = challenges.team_contacts(actor=user, team=team)
    my_team = None
    if user.role == Role.TALENT:
        my_team = teams.filter(members__profile__user=user).first()
    context = {
        "challenge": row,
        "mine": mine,
        "teams": [(team, contacts.get(team.pk)) for team in teams],
        "my_team": my_team,
        "leading": my_team is not None and my_team.leader is not None and my_team.leader.user_id == user.pk,
        "team_form": forms.TeamForm(),
        "invite_form": forms.InviteForm(),
        "outcome_form": forms.ChallengeOutcomeForm(),
        "edit_form": forms.ChallengeForm(
            initial={
                "title": row.title,
                "description": row.description,
                "reward": row.reward,
                "chain": row.chain.code if row.chain else "",
                "deadline": row.deadline,
            }
        )
        if mine and row.status == Challenge.Status.OPEN
        else None,
    }
    return render(request, "talent/challenge.html", context)


CHALLENGE_CHANGED = gettext_noop("榜单已修改")
CHALLENGE_WITHDRAWN = gettext_noop("榜单已撤回")


_on_challenge = RowPosts(Challenge.objects.all(), "talent:challenge", by_pk)
challenge_edit = _on_challenge.post(
    _firm,
    CHALLENGE_CHANGED,
    lambda user, row, data: challenges.challenge_update(
        actor=user, challenge=row, data=challenges.ChallengeData(**data), now=_now()
    ),
    forms.ChallengeForm,
)


challenge_close = _on_challenge.post(
    _firm,
    CHALLENGE_WITHDRAWN,
    lambda user, row, _data: challenges.challenge_close(actor=user, challenge=row, now=_now()),
)


team_new = _on_challenge.post(
    _talent,
    TEAM_FORMED,
    lambda user, row, data: challenges.team_create(
        actor=user, challenge=row, name=data["name"], proposal=data["proposal"], now=_now()
    ),
    forms.TeamForm,
)


_on_team = RowPosts(ChallengeTeam.objects.select_related("challenge"), "talent:challenge", _its_challenge)
team_invite = _on_team.post(
    _talent,
    INVITED,
    lambda user, row, data: challenges.team_invite(actor=user, team=row, username=data["username"], now=_now()),
    forms.InviteForm,
)


team_apply = _on_team.post(
    _talent, TEAM_APPLIED, lambda user, row, _data: challenges.team_apply(actor=user, team=row, now=_now())
)


member_answer = row_post(
    reader=_talent,
    rows=ChallengeMember.objects.select_related("team"),
    form=forms.AnswerForm,
    step=lambda user, row, data: challenges.member_answer(
        actor=user, member=row, accept=data["accept"] == "yes", now=_now()
    ),
    done=ANSWERED,
    back="talent:challenges",
)


team_select = _on_team.post(
    _firm, TEAM_SELECTED, lambda user, row, _data: challenges.team_select(actor=user, team=row, now=_now())
)


challenge_outcome = _on_challenge.post(
    _firm,
    CHALLENGE_DONE,
    lambda user, row, data: challenges.challenge_outcome(
        actor=user, challenge=row, outcome=data["outcome"], note=data["note"], now=_now()
    ),
    forms.ChallengeOutcomeForm,
)


EVENT_POSTED = gettext_noop("专项招聘活动已发布")
FIRM_ADDED = gettext_noop("参会企业已添加")
OPENING_ADDED = gettext_noop("岗位已带到活动中")
EVENT_REGISTERED = gettext_noop("报名成功")
EVENT_OUTCOME_SAVED = gettext_noop("活动结果已记录")


@login_required
def events_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    rows = (
        RecruitmentEvent.objects.visible_to(user)
        .select_related("park")
        .annotate(firm_count=Count("firms", distinct=True), registered=Count("registrations", distinct=True))
    )
    organiser = is_talent_event_organiser(user)
    context = {
        "page": page_of(request, rows.order_by("-starts_on", "-id")),
        "form": forms.EventForm() if organiser else None,
    }
    return render(request, "talent/events.html", context)


event_new = new_row_post(
    _reader,
    EVENT_POSTED,
    lambda user, data: events.event_create(actor=user, data=events.EventData(**data), now=_now()),
    forms.EventForm,
    back="talent:events",
    made="talent:event",
)


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    row = get_visible_or_404(RecruitmentEvent.objects.select_related("park"), user, pk=pk)
    own_openings = []
    taking_part = False
    if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
        taking_part = row.firms.filter(pk=user.enterprise_id).exists()
        if taking_part:
            own_openings = list(Opening.objects.visible_to(user).filter(status=Opening.Status.OPEN).exclude(events=row))
    registered = user.role == Role.TALENT and row.registrations.filter(profile__user=user).exists()
    context = {
        "event": row,
        "firms": row.firms.order_by("name"),
        "openings": row.openings.select_related("enterprise").order_by("enterprise__name", "title"),
        "registered_count": row.registrations.count(),
        "registered": registered,
        "organiser": is_talent_event_organiser(user),
        "taking_part": taking_part,
        "own_openings": own_openings,
        "firm_form": forms.EventFirmForm(),
        "outcome_form": forms.EventOutcomeForm(initial={name: getattr(row, name) for name in events.FIGURE_LABELS}),
        "edit_form": forms.EventForm(
            initial={
                "title": row.title,
                "park": row.park.code,
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "venue": row.venue,
                "description": row.description,
            }
        ),
    }
    return render(request, "talent/event.html", context)


_on_event = RowPosts(RecruitmentEvent.objects.select_related("park"), "talent:event", by_pk)


EVENT_CHANGED = gettext_noop("活动信息已修改")


event_edit = _on_event.post(
    _reader,
    EVENT_CHANGED,
    lambda user, row, data: events.event_update(actor=user, event=row, data=events.EventData(**data), now=_now()),
    forms.EventForm,
)


event_firm_add = _on_event.post(
    _reader,
    FIRM_ADDED,
    lambda user, row, data: events.event_firm_add(actor=user, event=row, uscc=data["uscc"]),
    forms.EventFirmForm,
)


def _opening_bring(user: User, row: RecruitmentEvent, data: dict[str, Any]) -> None:
    opening_row = get_visible_or_404(Opening.objects.all(), user, pk=data["opening"])
    events.event_opening_add(actor=user, event=row, opening=opening_row, now=_now())


event_opening_add = _on_event.post(_firm, OPENING_ADDED, _opening_bring, forms.EventOpeningForm)


event_register = _on_event.post(
    _talent, EVENT_REGISTERED, lambda user, row, _data: events.event_register(actor=user, event=row, now=_now())
)


event_outcome = _on_event.post(
    _reader,
    EVENT_OUTCOME_SAVED,
    lambda user, row, data: events.event_outcome(
        actor=user, event=row, figures=events.EventFigures(**data), now=_now()
    ),
    forms.EventOutcomeForm,
)


HONOUR_SAVED = gettext_noop("已登记")
HONOUR_CORRECTED = gettext_noop("已更正，原内容已作为修订保留")


@login_required
def honours_list(request: HttpRequest) -> HttpResponse:
    user = _honour_reader(request)
    rows = TalentHonour.objects.visible_to(user).select_related("enterprise", "park")
    kind = request.GET.get("kind", "")
    if kind in TalentHonour.Kind.values:
        rows = rows.filter(kind=kind)
    keeper = is_talent_handler(user)
    context = {
        "page": page_of(request, rows),
        "kinds": TalentHonour.Kind.choices,
        "kind": kind,
        "today": timezone.localdate(),
        "form": forms.HonourForm() if keeper else None,
    }
    return render(request, "talent/honours.html", context)


honour_new = new_row_post(
    _reader,
    HONOUR_SAVED,
    lambda user, data: honours.honour_create(actor=user, data=honours.HonourData(**data), now=_now()),
    forms.HonourForm,
    back="talent:honours",
)


@login_required
def honour(request: HttpRequest, pk: int) -> HttpResponse:
    user = _honour_reader(request)
    row = get_visible_or_404(TalentHonour.objects.select_related("enterprise", "park"), user, pk=pk)
    initial = {
        "kind": row.kind,
        "name": row.name,
        "uscc": row.enterprise.uscc,
        "awarded_on": row.awarded_on,
        "valid_to": row.valid_to,
        "issuer": row.issuer,
    }
    context = {
        "honour": row,
        "revisions": row.revisions.select_related("corrected_by"),
        "form": forms.HonourCorrectForm(initial=initial) if is_talent_handler(user) else None,
    }
    return render(request, "talent/honour.html", context)


def _honour_correct(user: User, row: TalentHonour, data: dict[str, Any]) -> None:
    values = {name: value for name, value in data.items() if name != "reason"}
    honours.honour_correct(actor=user, honour=row, data=honours.HonourData(**values), reason=data["reason"], now=_now())


honour_correct = row_post(
    reader=_reader,
    rows=TalentHonour.objects.all(),
    form=forms.HonourCorrectForm,
    step=_honour_correct,
    done=HONOUR_CORRECTED,
    back="talent:honour",
    back_args=by_pk,
)


GRANT_CONFIRMED = gettext_noop("已核定，并已通知本人")
GRANT_PAID = gettext_noop("已登记拨付，并记入奖补台账")


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    """Talent policies delivered: the grants the reader may see (people masked) with the 人才引进
    figures per policy; the city's talent handlers confirm and record payments here."""
    user = _staff_reader(request)
    rows = TalentGrant.objects.visible_to(user).select_related("profile", "enterprise")
    quote, quote_error = None, ""
    if is_talent_handler(user) and request.GET.get("quote_policy"):
        try:
            quote = _quote(user, request.GET.get("quote_profile", ""), request.GET.get("quote_policy", ""))
        except ValidationError as exc:
            quote_error = "；".join(exc.messages)
    context = {
        "quote": quote,
        "quote_error": quote_error,
        "page": page_of(request, rows.order_by("-id")),
        "inflow": queries.inflow(user),
        "policies": config().policies,
        "handler": is_talent_handler(user),
        "form": forms.GrantForm() if is_talent_handler(user) else None,
        "pay_form": forms.GrantPayForm(initial={"paid_on": timezone.localdate()}),
    }
    return render(request, "talent/grants.html", context)


QUOTE_PROFILE_UNKNOWN = gettext_noop("人才档案编号“%(value)s”不存在")


def _quote(user: User, profile_id: str, policy_code: str) -> grants_service.Quote:
    """The amount a policy's rule gives a person (for the handlers, before they confirm)."""
    policy = next((item for item in config().policies if item.code == policy_code.strip()), None)
    if policy is None:
        raise ValidationError(_(grants_service.POLICY_UNKNOWN) % {"code": policy_code[:40]})
    profile = (
        Profile.objects.visible_to(user).filter(pk=int(profile_id)).first() if profile_id.strip().isdigit() else None
    )
    if profile is None:
        raise ValidationError(_(QUOTE_PROFILE_UNKNOWN) % {"value": profile_id[:12]})
    return grants_service.grant_quote(policy, profile, on=timezone.localdate())


def _grant_confirm(user: User, data: dict[str, Any]) -> TalentGrant:
    profile = get_visible_or_404(Profile.objects.all(), user, pk=data["profile"])
    values = grants_service.GrantData(
        policy=data["policy"],
        uscc=data["uscc"],
        amount_wan_yuan=data["amount_wan_yuan"],
        decision_number=data["decision_number"],
        override_reason=data["override_reason"],
    )
    return grants_service.grant_confirm(actor=user, profile=profile, data=values, now=_now())


grant_new = new_row_post(_handler, GRANT_CONFIRMED, _grant_confirm, forms.GrantForm, back="talent:grants")


grant_pay = row_post(
    reader=_handler,
    rows=TalentGrant.objects.all(),
    form=forms.GrantPayForm,
    step=lambda user, row, data: grants_service.grant_pay(actor=user, grant=row, paid_on=data["paid_on"], now=_now()),
    done=GRANT_PAID,
    back="talent:grants",
)


@login_required
@require_POST
def profiles_export(request: HttpRequest) -> HttpResponse:
    user = _handler(request)
    made: list[tuple[Sheets, str]] = []

    def export(data: dict[str, Any]) -> str:
        made.append(exports.profiles_export_sheets(actor=user, reason=data["reason"]))
        return _(EXPORTED)

    if not take_post(request, forms.UnmaskForm(request.POST), export):
        return redirect("talent:home")
    sheets, detail = made[0]
    return xlsx_response(
        actor=user, filename=exports.FILENAME, object_type=exports.OBJECT_TYPE, sheets=sheets, detail=detail
    )

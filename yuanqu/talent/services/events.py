"""专项招聘 events: park staff (the park's operator, its district, the city's administrators) announce
an event and name the firms taking part; a taking-part firm brings its open openings; people register;
after the event the staff record its figures (visitors, interviews, offers, hires). Registrations go
with the profile; the organisers see how many registered, never who."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, check_place, is_talent_event_organiser
from yuanqu.core.writes import create_audited, fields_edit
from yuanqu.registry.models import Enterprise, Park
from yuanqu.talent.models import EventRegistration, Opening, RecruitmentEvent
from yuanqu.talent.services.common import check_firm, clean_text, own_profile, registered_firm
from yuanqu.talent.services.openings import PARK_UNKNOWN

NOT_ORGANISER = gettext_noop("只有园区运营、区级用户和市级管理员可以组织专项招聘活动")
DATES_ORDER = gettext_noop("结束日期（%(end)s）不能早于开始日期（%(start)s）")
DATES_TOO_LONG = gettext_noop("专项招聘活动至多持续31天")
FIRM_ALREADY = gettext_noop("该企业已在参会企业中")
NOT_TAKING_PART = gettext_noop("贵企业不在该活动的参会企业中，请联系主办园区")
OPENING_NOT_OPEN = gettext_noop("只能带上本企业招聘中的岗位")
OPENING_ALREADY = gettext_noop("该岗位已在活动中")
EVENT_OVER = gettext_noop("该活动已结束，不能再报名")
REGISTERED_ALREADY = gettext_noop("您已报名该活动")
NOT_STARTED = gettext_noop("活动开始后才能记录结果")
FIGURE_RANGE = gettext_noop("%(field)s应在0至1000000之间")
FIGURES_ORDER = gettext_noop("录用人数（%(hires)s）不能多于达成意向人数（%(offers)s）")
EVENT_ENDED = gettext_noop("该活动已结束，不能再修改")
EVENT_UNCHANGED = gettext_noop("修改后的内容与原内容相同，无需修改")
PARK_FIXED = gettext_noop("主办园区不能修改，请另行发布活动")


@dataclass(frozen=True, slots=True)
class EventData:
    title: str
    park: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class EventFigures:
    visitors: int
    interviews: int
    offers: int
    hires: int


def _event_fields(data: EventData) -> dict[str, object]:
    """The checked values of an event's announcement (the same rules for a new event and a change)."""
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _(DATES_ORDER) % {"start": data.starts_on, "end": data.ends_on}})
    if (data.ends_on - data.starts_on).days > 30:
        raise ValidationError({"ends_on": _(DATES_TOO_LONG)})
    return {
        "title": clean_text(data.title, field="title", label="活动名称", limit=60),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "venue": clean_text(data.venue, field="venue", label="地点", limit=100, required=False),
        "description": clean_text(data.description, field="description", label="活动说明", limit=1000, required=False),
    }


def _check_organiser(actor: User, park: Park) -> None:
    if not is_talent_event_organiser(actor):
        raise WriteDenied(_(NOT_ORGANISER), code="not_organiser")
    check_place(actor, district_id=park.district_id, park_id=park.pk)


@transaction.atomic
def event_create(*, actor: User, data: EventData, now: dt.datetime) -> RecruitmentEvent:
    """Announce an event of a park within the actor's scope (a park operator: their own park)."""
    code = data.park or (actor.park.code if actor.park is not None else "")
    park = Park.objects.filter(code=code).first()
    if park is None:
        raise ValidationError({"park": _(PARK_UNKNOWN) % {"value": code[:20]}})
    _check_organiser(actor, park)
    event = RecruitmentEvent(park=park, created_by=actor, created_at=now, **_event_fields(data))
    return create_audited(actor=actor, row=event)


@transaction.atomic
def event_update(*, actor: User, event: RecruitmentEvent, data: EventData, now: dt.datetime) -> RecruitmentEvent:
    """The organisers change an event's title, dates, venue or description until it has ended (the
    host park stays: a move is a new event)."""
    _check_organiser(actor, event.park)
    if data.park and data.park != event.park.code:
        raise ValidationError({"park": _(PARK_FIXED)})
    if event.ends_on < timezone.localdate(now):
        raise Conflict(_(EVENT_ENDED))
    fields_edit(actor=actor, row=event, values=_event_fields(data), unchanged=_(EVENT_UNCHANGED))
    return event


@transaction.atomic
def event_firm_add(*, actor: User, event: RecruitmentEvent, uscc: str) -> Enterprise:
    """The organisers name a firm taking part (any registered firm: a fair invites from anywhere)."""
    _check_organiser(actor, event.park)
    firm = registered_firm(uscc)
    if event.firms.filter(pk=firm.pk).exists():
        raise Conflict(_(FIRM_ALREADY))
    event.firms.add(firm)
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=event, after={"firm_added": firm.pk})
    return firm


@transaction.atomic
def event_opening_add(*, actor: User, event: RecruitmentEvent, opening: Opening, now: dt.datetime) -> None:
    """A taking-part firm brings one of its open openings."""
    check_firm(actor)
    assert actor.enterprise_id is not None  # check_firm refused a firm user without a firm
    if not event.firms.filter(pk=actor.enterprise_id).exists():
        raise WriteDenied(_(NOT_TAKING_PART), code="not_taking_part")
    if (
        opening.enterprise_id != actor.enterprise_id
        or opening.status != Opening.Status.OPEN
        or opening.valid_to < timezone.localdate(now)
    ):
        raise ValidationError({"opening": _(OPENING_NOT_OPEN)})
    if event.openings.filter(pk=opening.pk).exists():
        raise Conflict(_(OPENING_ALREADY))
    event.openings.add(opening)
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=event, after={"opening_added": opening.pk})


@transaction.atomic
def event_register(*, actor: User, event: RecruitmentEvent, now: dt.datetime) -> EventRegistration:
    """A person registers for an event that has not ended."""
    profile = own_profile(actor)
    if event.ends_on < timezone.localdate(now):
        raise Conflict(_(EVENT_OVER))
    try:
        with transaction.atomic():
            row = EventRegistration.objects.create(event=event, profile=profile, registered_at=now)
    except IntegrityError as exc:
        raise Conflict(_(REGISTERED_ALREADY)) from exc
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=row, after={"event": event.pk, "profile": profile.pk})
    return row


FIGURE_LABELS = {"visitors": "到场人数", "interviews": "面试人次", "offers": "达成意向人数", "hires": "录用人数"}


@transaction.atomic
def event_outcome(*, actor: User, event: RecruitmentEvent, figures: EventFigures, now: dt.datetime) -> RecruitmentEvent:
    """The organisers record the event's figures once it has started (again to correct them)."""
    _check_organiser(actor, event.park)
    if event.starts_on > timezone.localdate(now):
        raise Conflict(_(NOT_STARTED))
    for name, label in FIGURE_LABELS.items():
        value = getattr(figures, name)
        if not 0 <= value <= 1_000_000:
            raise ValidationError({name: _(FIGURE_RANGE) % {"field": label}})
    if figures.hires > figures.offers:
        raise ValidationError({"hires": _(FIGURES_ORDER) % {"hires": figures.hires, "offers": figures.offers}})
    before = {name: getattr(event, name) for name in FIGURE_LABELS}
    for name in FIGURE_LABELS:
        setattr(event, name, getattr(figures, name))
    event.outcome_at = now
    event.save(update_fields=[*FIGURE_LABELS, "outcome_at"])
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=event,
        before=before,
        after={name: getattr(event, name) for name in FIGURE_LABELS},
    )
    return event

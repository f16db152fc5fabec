"""收集: entering a case (by the enterprise, or on its behalf), its answers, number and repeat check."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock, notify
from yuanqu.casework.attachments import attachment_check, attachments_store
from yuanqu.casework.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseSequence,
    Category,
    Visit,
)
from yuanqu.casework.rules import rules
from yuanqu.casework.selectors import work_calendar
from yuanqu.casework.services.common import (
    ANSWER_CHOICE,
    ANSWER_MAX_LENGTH,
    ANSWER_NUMBER,
    ANSWER_REQUIRED,
    CATEGORY_INACTIVE,
    CATEGORY_KIND,
    ENTERPRISE_REQUIRED,
    NO_SUCH_ENTERPRISE,
    OUT_OF_SCOPE,
    PARK_REQUIRED,
    RATE_LIMITED,
    REPEAT_ANY_CATEGORY_RATIO,
    REPEAT_SAME_CATEGORY_RATIO,
    REPEAT_WINDOW_DAYS,
    SUBMISSION_LIMIT,
    SUBMISSION_WINDOW_HOURS,
    SUBMIT_NOT_ALLOWED,
    CasePermissionError,
    CaseTransitionError,
    S,
    _bounded,
    _clean_text,
    _event,
    _stored,
)
from yuanqu.core.attachments import Upload
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import writable_fields
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, Park


def _check_answers(category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in category.questions or []:
        code = str(question.get("code"))
        label = str(question.get("label", code))
        raw = answers.get(code)
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            if question.get("required"):
                raise CaseTransitionError({"answers": _(ANSWER_REQUIRED) % {"label": label}})
            continue
        kind = question.get("type", "text")
        if kind == "number":
            try:
                number = float(str(value))
            except ValueError as exc:
                raise CaseTransitionError({"answers": _(ANSWER_NUMBER) % {"label": label}}) from exc
            cleaned[code] = int(number) if number.is_integer() else number
        elif kind == "choice":
            choices = [str(choice) for choice in question.get("choices") or []]
            if str(value) not in choices:
                raise CaseTransitionError(
                    {"answers": _(ANSWER_CHOICE) % {"label": label, "choices": "、".join(choices)}}
                )
            cleaned[code] = str(value)
        else:
            cleaned[code] = _bounded(str(value), field="answers", limit=ANSWER_MAX_LENGTH)
    return cleaned


def _next_number(year: int) -> str:
    try:
        with transaction.atomic():
            CaseSequence.objects.get_or_create(year=year)
    except IntegrityError:  # another submission created the row first
        pass
    sequence = CaseSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ZMN-{year}-{sequence.last:06d}"


def _normalise(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def find_repeat(
    *, enterprise: Enterprise | None, park: Park | None, category: Category, title: str, at: dt.datetime
) -> Case | None:
    """An earlier case from the same enterprise (or, for park problems, the same park) on the same
    matter: a similar title, within REPEAT_WINDOW_DAYS."""
    since = at - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    earlier = Case.objects.filter(submitted_at__gte=since, submitted_at__lte=at).exclude(status=S.WITHDRAWN)
    if enterprise is not None:
        earlier = earlier.filter(enterprise=enterprise)
    elif park is not None:
        earlier = earlier.filter(park=park, enterprise__isnull=True)
    else:
        return None
    key = _normalise(title)
    for candidate in earlier.order_by("-submitted_at").only("pk", "title", "category_id", "number")[:50]:
        ratio = difflib.SequenceMatcher(None, key, _normalise(candidate.title)).ratio()
        if ratio >= REPEAT_ANY_CATEGORY_RATIO or (
            candidate.category_id == category.pk and ratio >= REPEAT_SAME_CATEGORY_RATIO
        ):
            return candidate
    return None


def may_enter(user: User, model: type[Case] | type[Visit] = Case) -> bool:
    """Whether the user's role may enter a case (or log a visit) at all: the roles that own a case's
    `enterprise` or `park` in core.permissions.FIELD_OWNERS. A handler handles cases; it does not
    enter them."""
    return bool(writable_fields(user, model))


def enterprise_for_entry(*, actor: User, uscc: str) -> Enterprise:
    """The enterprise a case or visit is entered for, looked up within the actor's scope: its park's
    staff, its district and the city find it; an unknown code and an enterprise outside the scope
    get the same answer, so the form tells nobody which credit codes exist elsewhere."""
    code = (uscc or "").strip().upper()
    # A credit code is 18 letters and digits; anything else is looked up nowhere (and a NUL byte
    # never reaches the database).
    wellformed = len(code) == 18 and code.isascii() and code.isalnum()
    found = Enterprise.objects.visible_to(actor).filter(uscc=code).first() if wellformed else None
    if found is None:
        shown = "".join(char for char in code[:18] if char.isprintable())
        raise CaseTransitionError({"enterprise": _(NO_SUCH_ENTERPRISE) % {"uscc": shown}})
    return found


def _submission_scope(
    actor: User, category: Category, enterprise: Enterprise | None, park: Park | None
) -> tuple[Enterprise | None, Park | None, int, str]:
    """Who may file what, and where the case belongs: (enterprise, park, district id, channel)."""
    if actor.role == Role.ENTERPRISE:
        if category.kind != CaseKind.REQUEST:
            raise CaseTransitionError({"category": _(CATEGORY_KIND)})
        own = actor.enterprise
        if own is None or (enterprise is not None and enterprise.pk != own.pk):
            raise CasePermissionError(_(OUT_OF_SCOPE))
        return own, own.park, own.district_id, Case.Channel.ONLINE
    if not may_enter(actor):
        raise CasePermissionError(_(SUBMIT_NOT_ALLOWED))
    if category.kind == CaseKind.REQUEST and enterprise is None:
        raise CaseTransitionError({"enterprise": _(ENTERPRISE_REQUIRED)})
    if enterprise is not None:
        # On an enterprise's behalf: its park's staff, its district and the city, no one else.
        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            raise CasePermissionError(_(OUT_OF_SCOPE))
        park = enterprise.park
    if actor.role == Role.PARK_OPERATOR:
        park = park or actor.park
        if park is None or park.pk != actor.park_id:
            raise CasePermissionError(_(OUT_OF_SCOPE))
    district_id = (
        enterprise.district_id
        if enterprise is not None
        else (park.district_id if park is not None else actor.district_id)
    )
    if actor.role == Role.DISTRICT and district_id != actor.district_id:
        raise CasePermissionError(_(OUT_OF_SCOPE))
    if district_id is None:
        raise CaseTransitionError({"park": _(PARK_REQUIRED)})
    return enterprise, park, district_id, Case.Channel.PHONE


@transaction.atomic
def case_submit(
    *,
    actor: User,
    category: Category,
    title: str,
    description: str,
    enterprise: Enterprise | None = None,
    park: Park | None = None,
    answers: dict[str, Any] | None = None,
    channel: str | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    files: Sequence[Upload] = (),
    visit: Visit | None = None,
) -> Case:
    """收集: an enterprise files a request, or staff enter one taken by phone or on a visit, or a park
    operator or district raises a park problem."""
    if not category.active:
        raise CaseTransitionError({"category": _(CATEGORY_INACTIVE) % {"name": category.display_name}})
    enterprise, park, district_id, default_channel = _submission_scope(actor, category, enterprise, park)
    if actor.role == Role.ENTERPRISE or not channel or channel not in Case.Channel.values:
        channel = default_channel
    title = _clean_text(title, field="title", message=gettext_noop("请填写标题"), limit=100)
    description = _clean_text(description, field="description", message=gettext_noop("请填写诉求内容"))
    cleaned = _check_answers(category, answers or {})
    types = attachment_check(files)
    now = clock.now()
    if channel == Case.Channel.ONLINE and enterprise is not None:
        recent = Case.objects.filter(
            enterprise=enterprise,
            channel=Case.Channel.ONLINE,
            submitted_at__gte=now - dt.timedelta(hours=SUBMISSION_WINDOW_HOURS),
            submitted_at__lte=now,
        ).count()
        if recent >= SUBMISSION_LIMIT:
            raise CaseTransitionError(_(RATE_LIMITED) % {"hours": SUBMISSION_WINDOW_HOURS, "count": SUBMISSION_LIMIT})
    calendar = work_calendar()
    local_now = clock.local_date(now)
    repeat = find_repeat(enterprise=enterprise, park=park, category=category, title=title, at=now)
    case = Case(
        number=_next_number(local_now.year),
        kind=category.kind,
        category=category,
        enterprise=enterprise,
        park=park,
        district_id=district_id,
        title=title,
        description=description,
        answers=cleaned,
        channel=channel,
        contact_name=_bounded(contact_name.strip(), field="contact_name", limit=40),
        contact_phone=_bounded(contact_phone.strip(), field="contact_phone", limit=30),
        submitted_by=actor,
        submitted_at=now,
        response_due=calendar.add_working_days(local_now, rules().response_limit_days).day,
        receiving_unit=category.resolved_default_unit(),
        repeat_of=repeat,
        visit=visit,
    )
    case.full_clean()
    case.save()
    kind = _stored(case.get_kind_display)
    text = f"提交{kind}“{title}”（{category.name}，承诺时限{category.time_limit_days}个工作日）"
    if channel != Case.Channel.ONLINE:
        text += f"，来源：{_stored(case.get_channel_display)}"
    event = _event(
        case,
        actor,
        CaseEvent.Action.SUBMIT,
        text,
        visible=True,
        note=f"疑似重复诉求，参见{repeat.number}" if repeat else "",
    )
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=True)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=case, after=snapshot(case), detail="诉求：提交")
    notify.notify(
        [*notify.unit_handlers(case.receiving_unit_id), *notify.park_staff(case)],
        case=case,
        kind="submitted",
        text=f"新诉求待受理：{case.number} {title}",
        exclude=actor,
    )
    return case

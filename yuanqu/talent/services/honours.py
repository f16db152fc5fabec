"""The register of 武汉工匠, 技能大师工作室 and 产教联合体 members, kept by the city's talent handlers
(市级管理员 and 系统管理员): each entry names the firm (by unified social credit code) and so its park,
with the date of the award and, where it lapses, the end of its validity. A correction keeps the
entry's earlier values as a numbered revision, with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, is_talent_handler
from yuanqu.core.writes import create_audited, save_audited
from yuanqu.talent.models import HonourRevision, TalentHonour
from yuanqu.talent.services.common import clean_text, registered_firm

NOT_KEEPER = gettext_noop("只有市级管理员（人才局、人社局经办人）可以登记工匠与技能平台名录")
KIND_UNKNOWN = gettext_noop("类别“%(value)s”不是可选项")
AWARDED_IN_FUTURE = gettext_noop("认定日期（%(date)s）不能晚于今天")
VALID_ORDER = gettext_noop("有效期止（%(end)s）不能早于认定日期（%(start)s）")
NOTHING_CHANGED = gettext_noop("更正后的内容与原条目相同，无需更正")
DETAIL_CORRECTED = "更正工匠与技能平台名录条目（第{number}次修订），事由：{reason}"


@dataclass(frozen=True, slots=True)
class HonourData:
    kind: str
    name: str
    uscc: str
    awarded_on: dt.date
    valid_to: dt.date | None = None
    issuer: str = ""


FIELDS = ("kind", "name", "enterprise", "park", "awarded_on", "valid_to", "issuer")


def _checked(*, actor: User, data: HonourData, now: dt.datetime) -> dict[str, object]:
    """The entry's values from `data`, each rule checked (the same for an entry and its correction)."""
    if not is_talent_handler(actor):
        raise WriteDenied(_(NOT_KEEPER), code="not_honour_keeper")
    if data.kind not in TalentHonour.Kind.values:
        raise ValidationError({"kind": _(KIND_UNKNOWN) % {"value": data.kind[:20]}})
    firm = registered_firm(data.uscc)
    if data.awarded_on > timezone.localdate(now):
        raise ValidationError({"awarded_on": _(AWARDED_IN_FUTURE) % {"date": data.awarded_on}})
    if data.valid_to is not None and data.valid_to < data.awarded_on:
        raise ValidationError({"valid_to": _(VALID_ORDER) % {"start": data.awarded_on, "end": data.valid_to}})
    return {
        "kind": data.kind,
        "name": clean_text(data.name, field="name", label="名称", limit=100),
        "enterprise": firm,
        "park": firm.park,
        "awarded_on": data.awarded_on,
        "valid_to": data.valid_to,
        "issuer": clean_text(data.issuer, field="issuer", label="认定单位", limit=60, required=False),
    }


@transaction.atomic
def honour_create(*, actor: User, data: HonourData, now: dt.datetime) -> TalentHonour:
    honour = TalentHonour(**_checked(actor=actor, data=data, now=now), created_by=actor, created_at=now)
    return create_audited(actor=actor, row=honour)


@transaction.atomic
def honour_correct(
    *, actor: User, honour: TalentHonour, data: HonourData, reason: str, now: dt.datetime
) -> TalentHonour:
    """Correct a register entry: the same rules as a new entry, a reason, and the values before kept
    as a revision (numbered from 1); audited with both states. A correction that changes nothing is
    refused."""
    values = _checked(actor=actor, data=data, now=now)
    why = clean_text(reason, field="reason", label="更正事由", limit=200)
    locked = TalentHonour.objects.select_for_update().get(pk=honour.pk)
    before = snapshot(locked, fields=list(FIELDS))
    if all(getattr(locked, name) == value for name, value in values.items()):
        raise ValidationError({"name": _(NOTHING_CHANGED)})
    number = (locked.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    HonourRevision.objects.create(
        honour=locked, number=number, before=before, reason=why, corrected_by=actor, corrected_at=now
    )
    save_audited(
        actor=actor,
        row=locked,
        values=values,
        action=AuditLog.Action.UPDATE,
        before=before,
        fields=FIELDS,
        detail=DETAIL_CORRECTED.format(number=number, reason=why),
    )
    return locked

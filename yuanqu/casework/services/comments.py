"""Comments and attachments on a case's timeline."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.casework import notify
from yuanqu.casework.attachments import attachment_check, attachments_store
from yuanqu.casework.models import (
    Attachment,
    Case,
    CaseEvent,
)
from yuanqu.casework.services.access import _require, is_case_enterprise
from yuanqu.casework.services.common import CaseTransitionError, _clean_text, _event
from yuanqu.core.attachments import Upload
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User


@transaction.atomic
def case_comment(
    *, actor: User, case: Case, text: str, to_enterprise: bool = False, files: Sequence[Upload] = ()
) -> CaseEvent:
    """A message on the timeline: from the enterprise (always visible to it), or from staff, internal
    unless addressed to the enterprise."""
    _require(actor, case, "comment")
    text = _clean_text(text, limit=3000)
    types = attachment_check(files, existing=case.attachments.count())
    from_enterprise = is_case_enterprise(actor, case)
    visible = from_enterprise or to_enterprise
    event = _event(case, actor, CaseEvent.Action.COMMENT, text, visible=visible)
    attachments_store(case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=visible)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, obj=event, detail="诉求：留言")
    if from_enterprise:
        recipients: list[User | None] = [case.first_responder, *notify.unit_handlers(case.lead_unit_id)]
    elif visible:
        recipients = list(notify.enterprise_users(case))
    else:
        recipients = [case.first_responder, *notify.unit_handlers(case.lead_unit_id)]
    notify.notify(recipients, case=case, kind="comment", text=f"诉求 {case.number} 有新留言", exclude=actor)
    return event


@transaction.atomic
def case_attach(
    *, actor: User, case: Case, files: Sequence[Upload], visible_to_enterprise: bool = True
) -> list[Attachment]:
    _require(actor, case, "attach")
    if not files:
        raise CaseTransitionError({"files": _("请选择文件")})
    types = attachment_check(files, existing=case.attachments.count())
    visible = visible_to_enterprise or is_case_enterprise(actor, case)
    names = "、".join((upload.name or "附件") for upload in files)
    event = _event(case, actor, CaseEvent.Action.ATTACH, f"上传附件：{names}", visible=visible)
    stored = attachments_store(
        case=case, event=event, actor=actor, files=files, types=types, visible_to_enterprise=visible
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=case,
        after={"attachments": len(stored)},
        detail="诉求：上传附件",
    )
    return stored

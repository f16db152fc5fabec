"""What the service writes share: their refusal messages (constants the tests assert on), who may
act, and the check that a firm is in the actor's scope.

A refused write raises `WriteDenied` (403, with a code); a broken rule raises `ValidationError`
naming the field (422 on the API, a message on the page)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.core.permissions import FIRM_SERVICE_ROLES, WriteDenied, serves_firms, write_gate
from yuanqu.core.texts import clean_text as clean_text  # the services of this app import it from here
from yuanqu.registry.models import Enterprise

# Roles that may be a firm's specialist and that plan and record visits (the park, the district,
# the city): DESIGN.md, and issue 14 "a user of the park, the district or the city".
SPECIALIST_ROLES = FIRM_SERVICE_ROLES

NOT_ALLOWED = gettext_noop("您的角色不能安排陪跑服务")
OUT_OF_SCOPE = gettext_noop("该企业不在您的管理范围内")
SPECIALIST_ROLE = gettext_noop("服务专员须为园区、区或市级的在岗用户，“%(name)s”不是")
SPECIALIST_SCOPE = gettext_noop("服务专员“%(name)s”的管理范围不含企业“%(firm)s”")
SAME_SPECIALIST = gettext_noop("企业“%(firm)s”的服务专员已是“%(name)s”")
HANDOVER_SAME = gettext_noop("移交双方不能是同一人")
HANDOVER_NONE = gettext_noop("“%(name)s”名下没有您可移交的企业")
NO_FIRMS = gettext_noop("没有符合条件的企业")
PLAN_PAST = gettext_noop("计划走访日期不能早于今天")
PLAN_NOT_OPEN = gettext_noop("该走访计划已完成或已取消")
PLAN_OTHER_FIRM = gettext_noop("走访计划属于另一家企业")
TOO_MANY_NEEDS = gettext_noop("一次走访至多登记%(limit)s项需求")

MAX_NEEDS = 10


check_role = write_gate(serves_firms, NOT_ALLOWED, "service_not_allowed")


def check_firm(actor: User, enterprise: Enterprise) -> None:
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise WriteDenied(_(OUT_OF_SCOPE), code="out_of_scope")

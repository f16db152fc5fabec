"""A write's first question — may this actor ask for it at all? — stated in one line next to its
refusal message: `write_gate(allowed, message, code)` answers the check a service calls before
anything else, which raises `WriteDenied` (403 on the API, the message on the page, translated when
it is raised) for an actor that `allowed` refuses, whatever the input names. The scope of a row
(which park, district or firm) is the service's own later question.

Who calls this: the services of the apps, each gate a module-level name beside its message
(`factors.services.plan.check_plan_writer`, `service.services.common.check_role`, the talent checks
of `talent.services.common` …)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied


def write_gate(allowed: Callable[[User], bool], message: str, code: str) -> Callable[[User], None]:
    """The check refusing an actor `allowed` says no to with `message` (marked with `gettext_noop`
    where it is defined) and the API's error `code`."""

    def check(actor: User) -> None:
        if not allowed(actor):
            raise WriteDenied(gettext(message), code=code)

    return check

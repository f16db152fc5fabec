"""Service writes, by noun: `assignments` (服务专员 assignment, bulk, hand-over), `visits` (plans
and records whose needs become cases), `policies` (免申即享 confirmation and payment), `surveys`
(发展环境 waves and answers), `standards` (服务标准清单), `fees`
(涉企收费), `requests` (service requests against the list's promise). Every function
is keyword-only, atomic and audited; a refusal is `WriteDenied` (403) or a `ValidationError` naming
the field, with a message of `common` or of its module. Callers import from the package."""

from __future__ import annotations

from yuanqu.service.services.assignments import (
    assignment_bulk,
    assignment_handover,
    assignment_rule_add,
    assignment_set,
)
from yuanqu.service.services.common import SPECIALIST_ROLES
from yuanqu.service.services.companions import (
    companion_follow,
    companion_note,
    companion_open,
    companion_stage_proposed,
)
from yuanqu.service.services.fees import fee_report, park_fee_add, park_fee_retire, park_fee_review
from yuanqu.service.services.matchruns import policy_match_run
from yuanqu.service.services.policies import (
    CONFIRM_ROLES,
    check_confirm_role,
    disbursement_pay,
    policy_batch_confirm,
)
from yuanqu.service.services.requests import service_request_complete, service_request_submit
from yuanqu.service.services.standards import park_service_retire, park_service_set
from yuanqu.service.services.surveys import WAVE_ROLES, survey_answer, survey_wave_close, survey_wave_open
from yuanqu.service.services.visits import visit_plan, visit_plan_cancel, visit_record

__all__ = [
    "CONFIRM_ROLES",
    "SPECIALIST_ROLES",
    "WAVE_ROLES",
    "assignment_bulk",
    "assignment_handover",
    "assignment_rule_add",
    "assignment_set",
    "check_confirm_role",
    "companion_follow",
    "companion_note",
    "companion_open",
    "companion_stage_proposed",
    "disbursement_pay",
    "fee_report",
    "park_fee_add",
    "park_fee_retire",
    "park_fee_review",
    "park_service_retire",
    "park_service_set",
    "policy_batch_confirm",
    "policy_match_run",
    "service_request_complete",
    "service_request_submit",
    "survey_answer",
    "survey_wave_close",
    "survey_wave_open",
    "visit_plan",
    "visit_plan_cancel",
    "visit_record",
]

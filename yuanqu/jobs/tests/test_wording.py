"""A job kind names the templates of its stored messages (`JobKind.messages`) and `jobs.wording` puts
them in the page's language; only a kind whose wording needs more than the templates (an evaluation's
stored park-type names, an import's outcomes) keeps a function of its own."""

from __future__ import annotations

from django.utils import translation

from yuanqu.jobs.kinds import KINDS
from yuanqu.jobs.models import Job
from yuanqu.jobs.wording import job_message
from yuanqu.service import jobs as service_jobs

OWN_WORDING = {"evaluation_run", "evaluation_diagnosis", "evaluation_grades", "intake_import"}


def test_only_the_kinds_that_need_more_than_templates_word_their_messages_themselves() -> None:
    assert {code for code, kind in KINDS.items() if kind.wording is not None} == OWN_WORDING


def test_the_service_jobs_messages_read_in_the_pages_language() -> None:
    match = Job(kind=service_jobs.MATCH, message=service_jobs.MSG_DONE.format(policies=3, new=2))
    assigned = Job(kind=service_jobs.ASSIGN, message=service_jobs.MSG_ASSIGNED.format(count=4))
    assert job_message(match) == "免申即享比对完成：3项政策，新增符合条件2家次"
    with translation.override("en"):
        assert job_message(match) == "Matching done: 3 policies, 2 newly qualifying"
        assert job_message(assigned) == "Service specialists assigned to 4 firms by the assignment rules"

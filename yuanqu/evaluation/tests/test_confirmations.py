"""Irreversible evaluation actions need the ticked confirmation box, checked on the server: without
it, confirming the 产业名园 list, deleting a run and replacing a year's 亩均 grades change nothing and
say why; with it they go ahead. The pages show the box (a required checkbox, no JavaScript)."""

from __future__ import annotations

from typing import Any

import pytest

from yuanqu.core.confirm import NOT_CONFIRMED
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import EvalWorld
from .test_mujun import graded  # noqa: F401  (fixture)

RUN_PARAMS = {"runs": 60}


@pytest.fixture
def ew(module_ew: EvalWorld) -> EvalWorld:
    """The world and the run are built once for this module (conftest `_module_run`)."""
    return module_ew


@pytest.fixture
def run(module_run: EvaluationRun) -> EvaluationRun:
    return module_run


def test_it_confirms_the_list_only_with_the_box_ticked(ew: EvalWorld, run: EvaluationRun) -> None:
    admin = ew.world.client("city_admin")
    page = admin.get(f"/evaluation/runs/{run.pk}/selection/").content.decode()
    assert 'name="confirm" value="1" required' in page
    refused = admin.post(f"/evaluation/runs/{run.pk}/selection/confirm/", follow=True).content.decode()
    assert NOT_CONFIRMED in refused
    run.refresh_from_db()
    assert not run.is_confirmed
    admin.post(f"/evaluation/runs/{run.pk}/selection/confirm/", {"confirm": "1"})
    run.refresh_from_db()
    assert run.is_confirmed


def test_it_deletes_a_run_only_with_the_box_ticked(ew: EvalWorld, run: EvaluationRun) -> None:
    admin = ew.world.client("city_admin")
    page = admin.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'data-testid="delete-form"' in page and 'name="confirm" value="1" required' in page
    refused = admin.post(f"/evaluation/runs/{run.pk}/delete/", {"confirm": ""}, follow=True).content.decode()
    assert NOT_CONFIRMED in refused
    assert EvaluationRun.objects.filter(pk=run.pk).exists()
    admin.post(f"/evaluation/runs/{run.pk}/delete/", {"confirm": "1"})
    assert not EvaluationRun.objects.filter(pk=run.pk).exists()


def test_it_replaces_a_years_grades_only_with_the_box_ticked(
    graded: EvalWorld,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    admin = graded.world.client("city_admin")
    page = admin.get("/evaluation/grades/?year=2025").content.decode()
    assert 'data-testid="grade-form"' in page and 'name="confirm" value="1" required' in page
    refused = admin.post("/evaluation/grades/compute/", {"year": "2025"}, follow=True).content.decode()
    assert NOT_CONFIRMED in refused
    assert not EnterpriseGrade.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/evaluation/grades/compute/", {"year": "2025", "confirm": "1"})
    run_queued_tasks()  # the grading job
    assert EnterpriseGrade.objects.filter(year=2025).count() == 4

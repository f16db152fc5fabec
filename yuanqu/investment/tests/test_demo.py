"""The demo's 招商 data: every stage is present, every history follows the pack's transitions with
dates that never go back, and the pages and figures read it."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from shapely.geometry import Point

from yuanqu.demo.investment import candidates_demo_generate, investment_demo_clear, investment_demo_generate
from yuanqu.investment import selectors
from yuanqu.investment.models import PIPELINE, Candidate, Project, Site, StageChange
from yuanqu.investment.rules import rules
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.registry import geo


def test_the_demo_builds_believable_histories(inv: InvestWorld) -> None:
    assert investment_demo_generate(seed=7, projects=200, sites=60) == (200, 60)
    assert {p.stage for p in Project.objects.all()} >= {stage.value for stage in PIPELINE}
    allowed = {(t.source, t.target) for t in rules().transitions}
    steps: dict[int, list[StageChange]] = defaultdict(list)
    for change in StageChange.objects.order_by("project_id", "on", "id"):
        steps[change.project_id].append(change)
    for history in steps.values():
        assert history[0].to_stage == "lead"
        for before, after in pairwise(history):
            assert after.on >= before.on
            assert after.to_stage == "terminated" or (before.to_stage, after.to_stage) in allowed
    figures = selectors.pipeline_figures(inv.user("city_viewer"))
    assert figures.total.projects == 200 and figures.funnel[0][2] == 200
    assert inv.world.client("city_admin").get("/investment/").status_code == 200
    # Most 载体 have their own point inside their park; a few show the park-centre fallback.
    placed = [s for s in Site.objects.select_related("park") if s.lon is not None]
    assert 40 <= len(placed) < 60
    for row in placed:
        assert row.park is not None and geo.parse_boundary(row.park.boundary).contains(Point(row.lon, row.lat))
    assert candidates_demo_generate(seed=7, count=300) == 300
    assert Candidate.objects.values("name").distinct().count() == 300
    assert Candidate.nodes.through.objects.count() >= 300
    investment_demo_clear()
    assert not Project.objects.exists() and not Site.objects.exists() and not Candidate.objects.exists()

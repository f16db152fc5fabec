"""A list's filters are read from the query string by one rule (`core.listing.filters_from_query`):
each field from the parameter of its name, text stripped and cut to 60 characters, a flag on for 1,
true or on, a missing or empty parameter no filter, a code a filter cannot take (an unknown status,
type or choice, a year that is not a number) no filter either and said in one message — for the park,
enterprise, case and task lists and the cockpit alike, on the page, in the API and in an export's
stored parameters."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from yuanqu.casework.selectors import CaseFilters
from yuanqu.core.listing import FILTER_LENGTH, filters_from_query
from yuanqu.dashboard.selectors.cockpit import CockpitFilters
from yuanqu.registry.selectors import EnterpriseFilters, ParkFilters
from yuanqu.targets.selectors import TaskFilters


@dataclass(frozen=True)
class Chosen:
    status: str = ""
    overdue: bool = False
    q: str = ""


def test_a_filter_is_read_stripped_cut_and_a_flag_on_only_when_ticked() -> None:
    query = QueryDict(f"status=+open+&overdue=on&q={'区' * 70}")
    assert filters_from_query(Chosen, query) == Chosen(status="open", overdue=True, q="区" * FILTER_LENGTH)
    assert filters_from_query(Chosen, {"status": None, "overdue": "0"}) == Chosen()
    assert filters_from_query(Chosen, QueryDict("state=done"), names={"status": "state"}) == Chosen(status="done")


def test_the_park_enterprise_and_case_lists_read_their_filters_by_the_one_rule() -> None:
    assert ParkFilters.from_query(QueryDict("type=+modern+&district=420115+")) == ParkFilters(
        park_type="modern", district="420115"
    )
    assert EnterpriseFilters.from_query(QueryDict("industry=+c26&park=P01+")) == EnterpriseFilters(
        park="P01", industry="C26"
    )
    assert CaseFilters.from_query(QueryDict("overdue=1&repeat=true&uncovered=no&unit=+U1")) == CaseFilters(
        unit="U1", overdue=True, repeat=True
    )


def test_a_code_a_filter_cannot_take_is_no_filter_and_is_said_the_same_way_on_every_list() -> None:
    query = QueryDict("type=moon&status=ghost&kind=x&year=二〇二五&sort=up&colour=red&label=gold&overdue=1")
    parks = ParkFilters.from_query(query)
    cases = CaseFilters.from_query(query)
    tasks = TaskFilters.from_query(query)
    cockpit = CockpitFilters.from_query(query)
    enterprises = EnterpriseFilters.from_query(query)
    assert parks == ParkFilters()
    assert cases == CaseFilters(overdue=True)
    assert tasks == TaskFilters(overdue=True)
    assert cockpit == CockpitFilters() and cockpit.colour == "type"
    assert enterprises == EnterpriseFilters()
    said = "筛选条件 %s 的值“%s”不是可选的值，已忽略"
    assert parks.ignored == (said % ("type", "moon"), said % ("status", "ghost"))
    assert cases.ignored == (said % ("status", "ghost"), said % ("kind", "x"), said % ("year", "二〇二五"))
    assert tasks.ignored == (said % ("status", "ghost"), said % ("sort", "up"))
    assert cockpit.ignored == (said % ("type", "moon"), said % ("colour", "red"))
    assert enterprises.ignored == (said % ("label", "gold"),)


def test_the_cockpit_and_the_task_board_read_their_filters_by_the_one_rule() -> None:
    query = QueryDict("type=+urban&district=+420115+&colour=indicator&district_label=假的")
    assert CockpitFilters.from_query(query) == CockpitFilters(park_type="urban", district="420115", colour="indicator")
    board = TaskFilters.from_query(QueryDict("group=+G1+&status=completed&overdue=true&sort=due&unit=U1"))
    assert board == TaskFilters(group="G1", status="completed", unit="U1", overdue=True, sort="due")
    assert board.ignored == ()
    assert CaseFilters.from_query(QueryDict("status=open&year=2025")) == CaseFilters(status="open", year="2025")

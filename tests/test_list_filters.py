"""A list's filters are read from the query string by one rule (`core.listing.filters_from_query`):
each field from the parameter of its name, text stripped and cut to 60 characters, a flag on for 1,
true or on, a missing or empty parameter no filter, a code a filter cannot take (an unknown status,
type or choice, a year that is not a number, a district, park, unit or chain outside the reader's
scope or not there at all) no filter either and said in one message — for the park, enterprise, case
and task lists and the cockpit alike, on the page, in the API and in an export's stored parameters."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from conftest import World
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


def test_the_park_enterprise_and_case_lists_read_their_filters_by_the_one_rule(module_world: World) -> None:
    admin = module_world.users["city_admin"]
    assert ParkFilters.from_query(QueryDict("type=+modern+&district=420115+"), admin) == ParkFilters(
        park_type="modern", district="420115"
    )
    assert EnterpriseFilters.from_query(QueryDict("industry=+c26&park=PA+"), admin) == EnterpriseFilters(
        park="PA", industry="C26"
    )
    assert CaseFilters.from_query(QueryDict("overdue=1&repeat=true&uncovered=no&unit=+jxj-test"), admin) == CaseFilters(
        unit="jxj-test", overdue=True, repeat=True
    )


def test_a_code_a_filter_cannot_take_is_no_filter_and_is_said_the_same_way_on_every_list(module_world: World) -> None:
    admin = module_world.users["city_admin"]
    query = QueryDict("type=moon&status=ghost&kind=x&year=二〇二五&sort=up&colour=red&label=gold&overdue=1")
    parks = ParkFilters.from_query(query, admin)
    cases = CaseFilters.from_query(query, admin)
    tasks = TaskFilters.from_query(query)
    cockpit = CockpitFilters.from_query(query, admin)
    enterprises = EnterpriseFilters.from_query(query, admin)
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


def test_the_cockpit_and_the_task_board_read_their_filters_by_the_one_rule(module_world: World) -> None:
    admin = module_world.users["city_admin"]
    query = QueryDict("type=+urban&district=+420115+&colour=indicator&district_label=假的")
    assert CockpitFilters.from_query(query, admin) == CockpitFilters(
        park_type="urban", district="420115", colour="indicator"
    )
    board = TaskFilters.from_query(QueryDict("group=+G1+&status=completed&overdue=true&sort=due&unit=U1"))
    assert board == TaskFilters(group="G1", status="completed", unit="U1", overdue=True, sort="due")
    assert board.ignored == ()
    assert CaseFilters.from_query(QueryDict("status=open&year=2025"), admin) == CaseFilters(status="open", year="2025")


def test_a_filter_naming_an_object_outside_the_readers_scope_is_ignored_and_said(module_world: World) -> None:
    said = "筛选条件 %s 的值“%s”不是可选的值，已忽略"
    jiangxia = module_world.users["district_jiangxia"]
    elsewhere = QueryDict("district=420114&park=PC&chain=no-such-chain&unit=no-such-unit")
    parks = ParkFilters.from_query(elsewhere, jiangxia)
    assert parks == ParkFilters()
    assert parks.ignored == (said % ("district", "420114"), said % ("chain", "no-such-chain"))
    enterprises = EnterpriseFilters.from_query(elsewhere, jiangxia)
    assert enterprises == EnterpriseFilters() and enterprises.ignored == (
        said % ("district", "420114"),
        said % ("park", "PC"),
    )
    cases = CaseFilters.from_query(elsewhere, jiangxia)
    assert cases == CaseFilters() and len(cases.ignored) == 4
    assert CockpitFilters.from_query(elsewhere, jiangxia) == CockpitFilters()
    # The same codes within the scope are filters; a park operator's district is its park's.
    assert EnterpriseFilters.from_query(QueryDict("district=420115&park=PB"), jiangxia).ignored == ()
    operator = module_world.users["park_operator"]
    assert ParkFilters.from_query(QueryDict("district=420115"), operator) == ParkFilters(district="420115")
    assert ParkFilters.from_query(QueryDict("district=420114"), operator) == ParkFilters()
    # A handler's cases lie in any park and district: nothing of theirs is out of scope.
    handler = module_world.users["handler"]
    assert CaseFilters.from_query(QueryDict("park=PC&district=420114"), handler) == CaseFilters(
        park="PC", district="420114"
    )


def test_the_park_and_enterprise_lists_show_the_whole_scope_and_say_so_for_another_districts_code(
    module_world: World,
) -> None:
    client = module_world.client("district_jiangxia")
    parks = client.get("/registry/parks/?district=420114").content.decode()
    assert "江夏现代产业园" in parks and "江夏都市工业园" in parks and "蔡甸特色产业园" not in parks
    assert "筛选条件 district 的值“420114”不是可选的值，已忽略" in parks
    # The form offers what the filter takes: the reader's own district, and no other.
    assert '<option value="420115">' in parks and '<option value="420114"' not in parks
    firms = client.get("/registry/enterprises/?park=PC").content.decode()
    assert "武汉甲光电科技有限公司" in firms and "武汉丁材料有限公司" in firms and "武汉丙生物医药有限公司" not in firms
    assert "筛选条件 park 的值“PC”不是可选的值，已忽略" in firms
    assert '<option value="PB">江夏都市工业园</option>' in firms and '<option value="PC"' not in firms
    # The API has no warning to show: it refuses the parameter by name and changes nothing.
    refused = client.get("/api/v1/registry/enterprises?park=PC&industry=C26")
    assert refused.status_code == 422
    body = refused.json()
    assert body["errors"] == [
        {"loc": ["query", "park"], "msg": "筛选条件 park 的值“PC”不是可选的值：不存在或不在您的权限范围内"}
    ]
    api = client.get("/api/v1/registry/enterprises?park=PB").json()
    assert [row["name"] for row in api["items"]] == ["武汉乙精密制造有限公司"]

"""Persona rows of the 精准招商 pages added after the main table: the target-company library and the
plan items (活动, 拜访, 推介) of a park's 招商方案."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tests.persona.matrix import DENIED, DONE_302, HIDDEN, IN_PA, INVEST, OK, R, _count, _value, access

if TYPE_CHECKING:
    from tests.persona.world import PersonaWorld


def refs(world: PersonaWorld) -> dict[str, str]:
    """A visit in park PA's plan, not yet held."""
    from yuanqu.investment import services

    item = services.plan_item_create(
        actor=world.users["district_jiangxia"],
        park=world.base.parks["PA"],
        kind="visit",
        title="拜访目标企业",
        planned_on=dt.date(2026, 3, 2),
    )
    return {"plan_item": str(item.pk)}


_WRITERS_OF_PA = access(HIDDEN, (IN_PA, DONE_302), city_viewer=DENIED)

ROWS = [
    R("investment:candidates", "list", "GET", "/investment/candidates/", access(HIDDEN, (INVEST, OK))),
    R(
        "investment:candidates",
        "search by name",
        "GET",
        "/investment/candidates/?q=%E5%85%89%E8%B0%B7&node=1",
        access(HIDDEN, (INVEST, OK)),
    ),
    R(
        "investment:plan_item_add",
        "PA's plan",
        "POST",
        "/investment/parks/{park}/path/items/",
        _WRITERS_OF_PA,
        body={"kind": "event", "title": "产业对接会", "planned_on": "2026-04-10"},
        write=_count("investment.PlanItem"),
    ),
    R(
        "investment:plan_item_outcome",
        "PA's visit held",
        "POST",
        "/investment/plan-items/{plan_item}/outcome/",
        _WRITERS_OF_PA,
        body={"held_on": "2026-03-02", "outcome": "对方有意向"},
        write=_value("investment.PlanItem", "outcome", pk="{plan_item}"),
    ),
    R(
        "investment:plan_item_delete",
        "PA's visit",
        "POST",
        "/investment/plan-items/{plan_item}/delete/",
        _WRITERS_OF_PA,
        body={},
        write=_count("investment.PlanItem"),
    ),
]

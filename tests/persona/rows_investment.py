"""Persona rows of the 精准招商 pages added after the main table: the target-company library and the
plan items (活动, 拜访, 推介) of a park's 招商方案, on the pages and in the API."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tests.persona.matrix import (
    DENIED,
    DONE,
    DONE_201,
    DONE_302,
    FIRMS,
    HANDLERS,
    HIDDEN,
    IN_PA,
    IN_PC,
    INVEST,
    OK,
    Answer,
    R,
    _count,
    _value,
    access,
)

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


# Only the city, the districts and the park operators open 精准招商 (core/appgate.py).
_NOT_INVESTMENT = ("auditor", *FIRMS, *HANDLERS, "talent_person", "finance_bureau")
_WRITERS_OF_PA = access(HIDDEN, (IN_PA, DONE_302), (_NOT_INVESTMENT, DENIED), city_viewer=DENIED)
_API_READERS_OF_PA = access(HIDDEN, (IN_PA, OK), (_NOT_INVESTMENT, DENIED))
DONE_204 = Answer(204, wrote=True)

ROWS = [
    R(
        "investment:candidates",
        "list",
        "GET",
        "/investment/candidates/",
        access(
            HIDDEN,
            (INVEST, OK),
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "investment:candidates",
        "search by name",
        "GET",
        "/investment/candidates/?q=%E5%85%89%E8%B0%B7&node=1",
        access(
            HIDDEN,
            (INVEST, OK),
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
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
    R(
        "GET /api/v1/investment/parks/{code}/plan-items",
        "PA's plan",
        "GET",
        "/api/v1/investment/parks/{park}/plan-items",
        _API_READERS_OF_PA,
    ),
    R(
        "GET /api/v1/investment/parks/{code}/plan-items",
        "PC's plan",
        "GET",
        "/api/v1/investment/parks/{park_other}/plan-items",
        access(
            HIDDEN,
            (IN_PC, OK),
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
    ),
    R(
        "POST /api/v1/investment/parks/{code}/plan-items",
        "an event in PA's plan",
        "POST",
        "/api/v1/investment/parks/{park}/plan-items",
        access(
            HIDDEN,
            (IN_PA, DONE_201),
            city_viewer=DENIED,
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"kind": "event", "title": "产业对接会", "planned_on": "2026-04-10"},
        write=_count("investment.PlanItem"),
    ),
    R(
        "POST /api/v1/investment/plan-items/{item_id}/outcome",
        "PA's visit held",
        "POST",
        "/api/v1/investment/plan-items/{plan_item}/outcome",
        access(
            HIDDEN,
            (IN_PA, DONE),
            city_viewer=DENIED,
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"held_on": "2026-03-02", "outcome": "对方有意向"},
        write=_value("investment.PlanItem", "outcome", pk="{plan_item}"),
    ),
    R(
        "DELETE /api/v1/investment/plan-items/{item_id}",
        "PA's visit",
        "DELETE",
        "/api/v1/investment/plan-items/{plan_item}",
        access(
            HIDDEN,
            (IN_PA, DONE_204),
            city_viewer=DENIED,
            auditor=DENIED,
            enterprise=DENIED,
            enterprise_e3=DENIED,
            handler=DENIED,
            handler_other=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        write=_count("investment.PlanItem"),
    ),
]

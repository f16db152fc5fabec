"""The persona matrix's rows for 能碳 (yuanqu/energy): the overview, a park's carbon account in and
out of the persona's scope, a firm's energy page, the API's accounts, changes (a chain's too), chain
accounts, factors and 零碳 standing at /api/v1/carbon/ and at the first release's /api/v1/energy/, and
the city administrator's rebuild (a background job). `refs` gives E1 (in PA) and E3 (in PC) a year of
energy data, written through the statistics write path, and builds the accounts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from tests.persona.matrix import (
    CITY,
    CITY_ADMINS,
    DENIED,
    DONE_202,
    DONE_302,
    HIDDEN,
    IN_PA,
    IN_PC,
    OK,
    R,
    Row,
    _count,
    access,
)
from tests.persona.world import PersonaWorld

_PARK_STAFF_E1 = (*CITY, "district_jiangxia", "park_operator", "enterprise")
_PARK_STAFF_E3 = (*CITY, "district_caidian", "park_operator_pc", "enterprise_e3")

# The roles the 能碳 app does not admit (core/appgate.py).
_CLOSED = {"auditor": DENIED, "talent_person": DENIED, "finance_bureau": DENIED}


def _api_rows(prefix: str) -> list[Row]:
    """The API's rows at /api/v1/carbon/ (canonical) and /api/v1/energy/ (the first release's path,
    kept for its clients): the same answers at both."""
    rows = [
        R("GET /api/v1/@/accounts", "list", "GET", "/api/v1/@/accounts", access(OK, **_CLOSED)),
        R(
            "GET /api/v1/@/changes",
            "in scope (PA)",
            "GET",
            "/api/v1/@/changes?level=park&code={park}",
            access(HIDDEN, (IN_PA, OK), **_CLOSED),
        ),
        R(
            "GET /api/v1/@/changes",
            "out of scope (PC)",
            "GET",
            "/api/v1/@/changes?level=park&code={park_other}",
            access(HIDDEN, (IN_PC, OK), **_CLOSED),
        ),
        R(
            "GET /api/v1/@/changes",
            "E1",
            "GET",
            "/api/v1/@/changes?level=enterprise&code={uscc}",
            access(HIDDEN, (_PARK_STAFF_E1, OK), **_CLOSED),
        ),
        R(
            "GET /api/v1/@/changes",
            "a chain with E1 and E3",
            "GET",
            "/api/v1/@/changes?level=chain&code={carbon_chain}",
            access(HIDDEN, (_PARK_STAFF_E1, OK), (_PARK_STAFF_E3, OK), **_CLOSED),
        ),
        R("GET /api/v1/@/chains", "accounts by chain", "GET", "/api/v1/@/chains", access(OK, **_CLOSED)),
        R("GET /api/v1/@/factors", "the pack's factors", "GET", "/api/v1/@/factors", access(OK, **_CLOSED)),
        R(
            "GET /api/v1/@/parks/{code}/zero-carbon",
            "in scope (PA)",
            "GET",
            "/api/v1/@/parks/{park}/zero-carbon",
            access(HIDDEN, (IN_PA, OK), **_CLOSED),
        ),
        R(
            "GET /api/v1/@/parks/{code}/zero-carbon",
            "out of scope (PC)",
            "GET",
            "/api/v1/@/parks/{park_other}/zero-carbon",
            access(HIDDEN, (IN_PC, OK), **_CLOSED),
        ),
        R(
            "POST /api/v1/@/recompute",
            "rebuild every account",
            "POST",
            "/api/v1/@/recompute",
            access(DENIED, (CITY_ADMINS, DONE_202)),
            write=_count("jobs.Job", kind="carbon_recompute"),
        ),
    ]
    return [replace(row, route=row.route.replace("@", prefix), path=row.path.replace("@", prefix)) for row in rows]


ROWS: list[Row] = [
    R(
        "energy:overview",
        "parks and 零碳 standing",
        "GET",
        "/energy/",
        access(OK, **_CLOSED),
    ),
    R(
        "energy:park",
        "in scope (PA)",
        "GET",
        "/energy/parks/{park}/",
        access(HIDDEN, (IN_PA, OK), **_CLOSED),
    ),
    R(
        "energy:park",
        "out of scope (PC)",
        "GET",
        "/energy/parks/{park_other}/",
        access(HIDDEN, (IN_PC, OK), **_CLOSED),
    ),
    R(
        "energy:enterprise",
        "E1",
        "GET",
        "/energy/enterprises/{uscc}/",
        access(HIDDEN, (_PARK_STAFF_E1, OK), **_CLOSED),
    ),
    R(
        "energy:enterprise",
        "E3",
        "GET",
        "/energy/enterprises/{uscc_other}/",
        access(HIDDEN, (_PARK_STAFF_E3, OK), **_CLOSED),
    ),
    R(
        "energy:recompute",
        "rebuild every account",
        "POST",
        "/energy/recompute/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        write=_count("jobs.Job", kind="carbon_recompute"),
    ),
    *(row for prefix in ("carbon", "energy") for row in _api_rows(prefix)),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    from yuanqu.energy.services import carbon_recompute_all
    from yuanqu.stats.models import ImportBatch
    from yuanqu.stats.services import StatRow, stats_write

    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ENERGY_ANNUAL, status=ImportBatch.Status.APPLIED)
    rows = [
        StatRow(
            (world.base.enterprises["E1"].pk, 2025),
            {"electricity_kwh": Decimal(800_000), "natural_gas_m3": Decimal(5000)},
        ),
        StatRow((world.base.enterprises["E3"].pk, 2025), {"electricity_kwh": Decimal(300_000), "diesel_t": Decimal(4)}),
    ]
    stats_write(actor=None, batch=batch, rows=rows)
    carbon_recompute_all()
    # A chain of E1's and E3's class (C3976): its sums are those of the firms the reader sees.
    from yuanqu.registry.models import ChainNode, IndustryChain, IndustryClass

    chain = IndustryChain.objects.create(
        code="carbon-c3976", name="光电子信息（能碳）", kind=IndustryChain.Kind.KEY_CHAIN
    )
    node = ChainNode.objects.create(chain=chain, name="光电子器件制造", stage="midstream")
    node.industry_classes.set(IndustryClass.objects.filter(pk="C3976"))
    return {"carbon_chain": chain.code}

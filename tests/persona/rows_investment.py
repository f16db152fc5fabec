"""Persona rows of the 精准招商 pages added after the main table: the target-company library."""

from __future__ import annotations

from tests.persona.matrix import HIDDEN, INVEST, OK, R, access

ROWS = [
    R("investment:candidates", "list", "GET", "/investment/candidates/", access(HIDDEN, (INVEST, OK))),
    R(
        "investment:candidates",
        "search by name",
        "GET",
        "/investment/candidates/?q=%E5%85%89%E8%B0%B7&node=1",
        access(HIDDEN, (INVEST, OK)),
    ),
]

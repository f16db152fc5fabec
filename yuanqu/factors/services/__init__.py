"""要素保障 writes, by noun: `land` (land supply against the 70% rule), `ledger` (the award and
subsidy ledger, with the 产业名园 award cap), `funds` (the 产业基金 register), `plan`
(用地计划 and the city's top-up), `conference`."""

from __future__ import annotations

from yuanqu.factors.services import conference, funds, ledger, plan
from yuanqu.factors.services.land import (
    BELOW_FLOOR,
    ENTERPRISE_OUT_OF_SCOPE,
    FINAL_BELOW_START,
    LAND_NOT_ALLOWED,
    LAND_WRITER_ROLES,
    METHOD_UNKNOWN,
    NO_BASE_PRICE,
    PARCEL_OUT_OF_SCOPE,
    PROJECT_OTHER_DISTRICT,
    SUPPLY_IN_FUTURE,
    TERM_TOO_LONG,
    check_land_writer,
    land_supply_record,
)
from yuanqu.factors.services.ledger import (
    LEDGER_WRITER_ROLES,
    award_ledger_generate,
    check_ledger_writer,
    ledger_entry_claw_back,
    ledger_entry_pay,
    ledger_entry_record,
)

__all__ = [
    "BELOW_FLOOR",
    "ENTERPRISE_OUT_OF_SCOPE",
    "FINAL_BELOW_START",
    "LAND_NOT_ALLOWED",
    "LAND_WRITER_ROLES",
    "LEDGER_WRITER_ROLES",
    "METHOD_UNKNOWN",
    "NO_BASE_PRICE",
    "PARCEL_OUT_OF_SCOPE",
    "PROJECT_OTHER_DISTRICT",
    "SUPPLY_IN_FUTURE",
    "TERM_TOO_LONG",
    "award_ledger_generate",
    "check_land_writer",
    "check_ledger_writer",
    "conference",
    "funds",
    "land_supply_record",
    "ledger",
    "ledger_entry_claw_back",
    "ledger_entry_pay",
    "ledger_entry_record",
    "plan",
]

"""The installed pack's factors section (factors.yaml), for the services, selectors and pages.
There is no other reading of factors.yaml and no built-in default."""

from __future__ import annotations

from yuanqu.core.pack import installed_pack
from yuanqu.factors.pack import FACTORS, FactorsConfig


def config() -> FactorsConfig:
    return installed_pack().section(FACTORS)

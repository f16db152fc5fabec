"""The energy rules of the installed policy pack (energy.yaml, read by `energy/pack.py` through the
pack's one reader). There is no built-in default: a broken pack stops start-up."""

from __future__ import annotations

from yuanqu.core.pack import installed_pack
from yuanqu.energy.pack import ENERGY, EnergyConfig


def config() -> EnergyConfig:
    return installed_pack().section(ENERGY)

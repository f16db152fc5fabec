"""The investment rules of the installed policy pack (investment.yaml, read by `investment/pack.py`
through the pack's one reader). There is no built-in default: a broken pack stops start-up."""

from __future__ import annotations

from yuanqu.core.pack import installed_pack
from yuanqu.investment.pack import INVESTMENT, InvestmentConfig


def rules() -> InvestmentConfig:
    return installed_pack().section(INVESTMENT)


def source_name(code: str) -> str:
    for source in rules().sources:
        if source.code == code:
            return source.name
    return code

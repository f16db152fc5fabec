"""The installed pack's talent section (talent.yaml), for the services, matching and pages."""

from __future__ import annotations

from yuanqu.core.pack import installed_pack
from yuanqu.talent.pack import TALENT, TalentConfig


def config() -> TalentConfig:
    return installed_pack().section(TALENT)

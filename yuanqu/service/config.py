"""The installed pack's service section (service.yaml), for the services, selectors and pages.
There is no other reading of service.yaml and no built-in default."""

from __future__ import annotations

from yuanqu.core.pack import installed_pack
from yuanqu.service.pack import SERVICE, ServiceConfig


def config() -> ServiceConfig:
    return installed_pack().section(SERVICE)

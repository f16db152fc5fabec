from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World


@pytest.fixture
def tasks(world: World, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """The pack's units in the registry and its tasks loaded; a handler of 市经信局 (lead of most
    tasks) and of 市人才局; attachments stored under a temporary MEDIA_ROOT."""
    from conftest import make_user
    from yuanqu.core.roles import Role
    from yuanqu.registry.models import ResponsibleUnit
    from yuanqu.registry.services import policy_pack_apply
    from yuanqu.targets.services import supervised_tasks_sync

    settings.MEDIA_ROOT = tmp_path / "media"
    policy_pack_apply()
    supervised_tasks_sync()
    jxj = ResponsibleUnit.objects.get(code="jxj")
    rcj = ResponsibleUnit.objects.get(code="rcj")
    return {
        "jxj": make_user("t-handler-jxj", Role.HANDLER, unit=jxj),
        "rcj": make_user("t-handler-rcj", Role.HANDLER, unit=rcj),
        "jxj_unit": jxj,
        "rcj_unit": rcj,
    }

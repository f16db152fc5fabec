from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World, module_transaction

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _pack_tasks(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, Any]]:
    """The pack's units in the registry and its tasks loaded, with a handler of 市经信局 (lead of most
    tasks) and of 市人才局: built once per test module; each test runs in a savepoint of its own."""
    from conftest import make_user
    from yuanqu.core.roles import Role
    from yuanqu.registry.models import ResponsibleUnit
    from yuanqu.registry.services import policy_pack_apply
    from yuanqu.targets.services import supervised_tasks_sync

    with module_transaction(django_db_blocker):
        policy_pack_apply()
        supervised_tasks_sync()
        jxj = ResponsibleUnit.objects.get(code="jxj")
        rcj = ResponsibleUnit.objects.get(code="rcj")
        yield {
            "jxj": make_user("t-handler-jxj", Role.HANDLER, unit=jxj),
            "rcj": make_user("t-handler-rcj", Role.HANDLER, unit=rcj),
            "jxj_unit": jxj,
            "rcj_unit": rcj,
        }


@pytest.fixture
def tasks(_pack_tasks: dict[str, Any], world: World, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """The module's pack tasks and handlers (read again, as a test may change one in memory), next to
    the test's own `world`; attachments stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for obj in _pack_tasks.values():
        obj.refresh_from_db()
    return _pack_tasks

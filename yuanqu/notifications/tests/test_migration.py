"""Casework's notices move into the centre without losing one: id, recipient, kind, text, time, read
state, case and the sent email survive the migration, and new notices get fresh ids after them.

Only the migration under test runs for real, backwards and forwards. The apps whose migrations come
after it in the graph (`service`, which depends on casework 0004 only for its foreign keys to cases
and visits, tables the migration leaves alone) are recorded as unapplied and applied again without
touching their tables: unapplying and re-applying them would rebuild their tables for nothing (on
SQLite each altered table is copied). Their forward migrations run from zero wherever a test
database is created."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import World

BEFORE = [("casework", "0003_category_name_en"), ("notifications", "0001_initial")]
AFTER = [("casework", "0004_notification_to_centre")]
UNDER_TEST = {"casework", "notifications"}


def dependents_faked_back(executor: MigrationExecutor) -> set[str]:
    """Record as unapplied, without changing their tables, the migrations of other apps that
    unapplying BEFORE would undo; the apps so recorded."""
    later = {migration.app_label for migration, _ in executor.migration_plan(BEFORE)} - UNDER_TEST
    if later:
        executor.migrate([(app, None) for app in sorted(later)], fake=True)
    return later


@pytest.mark.django_db(transaction=True)
def test_existing_casework_notices_are_kept(world: World) -> None:
    executor = MigrationExecutor(connection)
    faked = dependents_faked_back(executor)
    executor = MigrationExecutor(connection)
    assert {migration.app_label for migration, _ in executor.migration_plan(BEFORE)} == {"casework"}
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("core", "User").objects.get(username="t-ent-e1")
    enterprise = old.get_model("registry", "Enterprise").objects.get(pk=world.enterprises["E1"].pk)
    category = old.get_model("casework", "Category").objects.create(
        code="m", name="迁移", kind="request", time_limit_days=2, default_unit_id=world.unit.pk
    )
    now = timezone.now()
    case = old.get_model("casework", "Case").objects.create(
        number="ZMN-2025-000009",
        kind="request",
        category=category,
        enterprise=enterprise,
        district_id=enterprise.district_id,
        title="用电",
        description="增容",
        submitted_at=now,
    )
    legacy = old.get_model("casework", "Notification")
    kept = legacy.objects.create(
        id=41,
        recipient=user,
        case=case,
        kind="accepted",
        text="诉求 ZMN-2025-000009 已受理",
        created_at=now,
        read_at=now + dt.timedelta(hours=1),
        emailed_at=now,
    )
    legacy.objects.create(id=42, recipient=user, case=None, kind="remind", text="催办", created_at=now)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    unapplied = {migration.app_label for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())}
    assert unapplied == faked, (unapplied, faked)
    executor.migrate(executor.loader.graph.leaf_nodes(), fake=True)
    assert not MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes())

    from yuanqu.casework.models import Notification
    from yuanqu.notifications import services
    from yuanqu.notifications.models import Notification as CentreNotification

    moved = Notification.objects.get(pk=kept.pk)
    assert moved.case is not None
    assert (moved.kind, moved.title, moved.case.number) == (
        "accepted",
        "诉求 ZMN-2025-000009 已受理",
        "ZMN-2025-000009",
    )
    assert moved.read_at == kept.read_at and moved.link == "/casework/ZMN-2025-000009/"
    assert moved.emailed_at == kept.emailed_at
    assert CentreNotification.objects.get(pk=42).title == "催办" and Notification.objects.get(pk=42).case is None
    (new,) = services.notification_send(recipients=[world.users["enterprise"]], kind="x", title="新通知")
    assert new.pk > 42

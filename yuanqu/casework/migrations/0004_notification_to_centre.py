"""Casework's notices move into the notification centre (`notifications.Notification`): each row
keeps its id, recipient, kind, time and read state; its text becomes the title, its case a link and
the casework row that points at the case; a sent email becomes a delivery. Reversible."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models

BATCH = 2000


def _case_link(number: str | None) -> str:
    return f"/casework/{number}/" if number else ""


def forward(apps: Any, schema_editor: Any) -> None:
    legacy = apps.get_model("casework", "LegacyNotification")
    centre = apps.get_model("notifications", "Notification")
    delivery = apps.get_model("notifications", "Delivery")
    child = apps.get_model("casework", "Notification")
    db = schema_editor.connection.alias
    rows = (
        legacy.objects.using(db)
        .order_by("pk")
        .values_list(
            "pk", "recipient_id", "kind", "text", "created_at", "read_at", "emailed_at", "case_id", "case__number"
        )
    )
    table = schema_editor.quote_name(child._meta.db_table)
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1][0]
        centre.objects.using(db).bulk_create(
            [
                centre(
                    id=pk,
                    recipient_id=recipient,
                    kind=kind[:40],
                    title=text,
                    body="",
                    link=_case_link(number),
                    created_at=created,
                    read_at=read,
                )
                for pk, recipient, kind, text, created, read, _emailed, _case, number in batch
            ]
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (notification_ptr_id, case_id) VALUES (%s, %s)",  # noqa: S608 - table name from the model
                [(pk, case) for pk, _r, _k, _t, _c, _read, _e, case, _n in batch],
            )
        delivery.objects.using(db).bulk_create(
            [
                delivery(
                    notification_id=pk, channel="email", status="sent", attempts=1, created_at=created, sent_at=emailed
                )
                for pk, _r, _k, _t, created, _read, emailed, _c, _n in batch
                if emailed is not None
            ]
        )
    # Rows kept their ids: the centre's id sequence must continue after them (PostgreSQL).
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [centre]):
            cursor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    legacy = apps.get_model("casework", "LegacyNotification")
    child = apps.get_model("casework", "Notification")
    delivery = apps.get_model("notifications", "Delivery")
    db = schema_editor.connection.alias
    emailed = dict(
        delivery.objects.using(db)
        .filter(channel="email", sent_at__isnull=False)
        .values_list("notification_id", "sent_at")
    )
    legacy.objects.using(db).bulk_create(
        [
            legacy(
                id=row.pk,
                recipient_id=row.recipient_id,
                case_id=row.case_id,
                kind=row.kind[:30],
                text=row.title[:300],
                created_at=row.created_at,
                read_at=row.read_at,
                emailed_at=emailed.get(row.pk),
            )
            for row in child.objects.using(db).all().iterator()
        ],
        batch_size=BATCH,
    )
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [legacy]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_category_name_en"),
        ("notifications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Notification", "LegacyNotification"),
        migrations.AlterField(
            model_name="legacynotification",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="casework.case",
                verbose_name="诉求",
            ),
        ),
        migrations.AlterField(
            model_name="legacynotification",
            name="recipient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="接收人",
            ),
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "notification_ptr",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        related_name="case_notice",
                        serialize=False,
                        to="notifications.notification",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="casework.case",
                        verbose_name="诉求",
                    ),
                ),
            ],
            options={
                "verbose_name": "诉求通知",
                "verbose_name_plural": "诉求通知",
                "ordering": ("-created_at", "-notification_ptr"),
            },
            bases=("notifications.notification",),
        ),
        migrations.RunPython(forward, backward),
        migrations.DeleteModel("LegacyNotification"),
    ]

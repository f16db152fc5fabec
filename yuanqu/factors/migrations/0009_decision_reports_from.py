"""The tasks of the decisions recorded before the 督办 knew from when a task owes its quarterly
reports: each owes them from its meeting's day, as new decisions do."""

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    decision_model = apps.get_model("factors", "MeetingDecision")
    task_model = apps.get_model("targets", "SupervisedTask")
    for task_id, held_on in decision_model.objects.values_list("task_id", "meeting__held_on"):
        task_model.objects.filter(pk=task_id, reports_from__isnull=True).update(reports_from=held_on)


class Migration(migrations.Migration):
    dependencies = [
        ("factors", "0008_fund_committed_by_source"),
        ("targets", "0004_task_reports_from"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

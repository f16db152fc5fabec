"""The tasks' and groups' English titles (title_en in tasks.yaml), shown on English pages. Tasks
already loaded get the pack's English titles by code here, so that a database does not wait for the
next `yuanqu policy apply`; without a readable pack they stay empty (the Chinese title shows)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from yuanqu.core.pack import PolicyPackError, installed_pack
    from yuanqu.targets.pack import TARGETS

    SupervisedTask = apps.get_model("targets", "SupervisedTask")
    if not SupervisedTask.objects.exists():
        return
    try:
        plan = installed_pack().section(TARGETS)
    except (OSError, PolicyPackError):
        return
    groups = {group.code: group.title_en for group in plan.task_groups}
    for task in (*plan.tasks, *plan.safeguards):
        SupervisedTask.objects.filter(code=task.code).update(
            title_en=task.title_en, group_title_en=groups.get(task.group or "", "")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_supervision"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisedtask",
            name="group_title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="分组英文名称"),
        ),
        migrations.AddField(
            model_name="supervisedtask",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="英文名称"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

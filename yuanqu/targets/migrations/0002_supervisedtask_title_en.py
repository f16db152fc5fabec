"""The tasks' and groups' English titles (title_en in tasks.yaml), shown on English pages. Tasks
already loaded get the pack's English titles by code here, so that a database does not wait for the
next `yuanqu policy apply`; without a readable pack they stay empty (the Chinese title shows).

Self-contained: tasks.yaml is read by this migration's own few lines, so that later changes to the
application cannot change what it does."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations, models


def _items(data, key):
    return [item for item in data.get(key) or [] if isinstance(item, dict) and item.get("code")]


def english_titles():
    """{task or safeguard code: (title_en, its group's title_en)} from the pack's tasks.yaml; {} when
    the file cannot be read."""
    try:
        data = yaml.safe_load((Path(settings.POLICY_PACK_DIR) / "tasks.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    groups = {str(group["code"]): str(group.get("title_en") or "") for group in _items(data, "groups")}
    return {
        str(task["code"]): (str(task.get("title_en") or ""), groups.get(str(task.get("group") or ""), ""))
        for task in (*_items(data, "tasks"), *_items(data, "safeguards"))
    }


def fill(apps, schema_editor):
    SupervisedTask = apps.get_model("targets", "SupervisedTask")
    if not SupervisedTask.objects.exists():
        return
    for code, (title_en, group_title_en) in english_titles().items():
        SupervisedTask.objects.filter(code=code).update(title_en=title_en, group_title_en=group_title_en)


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

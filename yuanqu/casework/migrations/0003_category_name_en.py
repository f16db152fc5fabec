"""The categories' English names (name_en in casework.yaml), shown on English pages. Existing rows
get the pack's English name by code here, so that a database does not wait for the next
`yuanqu casework_setup` to show them; a category the pack no longer has keeps an empty one.

Self-contained: casework.yaml is read by this migration's own few lines, so that later changes to
the application cannot change what it does; without a readable file the names stay empty."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations, models


def english_names():
    """{category code: name_en} from the pack's casework.yaml; {} when the file cannot be read."""
    try:
        data = yaml.safe_load((Path(settings.POLICY_PACK_DIR) / "casework.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(item["code"]): str(item["name_en"])
        for item in data.get("categories") or []
        if isinstance(item, dict) and item.get("code") and item.get("name") and item.get("name_en")
    }


def fill(apps, schema_editor):
    Category = apps.get_model("casework", "Category")
    for code, name_en in english_names().items():
        Category.objects.filter(code=code).update(name_en=name_en[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_seed_calendar_and_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="英文名称"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

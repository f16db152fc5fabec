"""The categories' English names (name_en in casework.yaml), shown on English pages. Existing rows
get the pack's English name by code here, so that a database does not wait for the next
`yuanqu casework_setup` to show them; a category the pack no longer has keeps an empty one."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from yuanqu.casework.rules import load_rules

    Category = apps.get_model("casework", "Category")
    for spec in load_rules().categories:
        if spec.name_en:
            Category.objects.filter(code=spec.code).update(name_en=spec.name_en[:100])


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

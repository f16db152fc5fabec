"""API tokens get an expiry (existing tokens: 90 days after creation), the audit log new actions,
and sign-in failures a shared counter table. Self-contained: no application code imported."""

import datetime as dt

from django.db import migrations, models


def fill_expiry(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("core", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + dt.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(fill_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("update", "修改"),
                    ("delete", "删除"),
                    ("export", "导出"),
                    ("login", "登录"),
                    ("token", "令牌"),
                    ("password", "密码"),
                    ("download", "下载"),
                    ("read", "批量读取"),
                ],
                max_length=10,
                verbose_name="动作",
            ),
        ),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200, unique=True, verbose_name="计数对象")),
                ("failures", models.PositiveIntegerField(default=0, verbose_name="连续失败次数")),
                ("last_failure_at", models.DateTimeField(db_index=True, verbose_name="最近失败时间")),
                ("delayed_until", models.DateTimeField(blank=True, null=True, verbose_name="暂停至")),
            ],
            options={
                "verbose_name": "登录失败计数",
                "verbose_name_plural": "登录失败计数",
            },
        ),
    ]

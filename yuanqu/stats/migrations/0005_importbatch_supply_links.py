from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_importbatch_investment_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importbatch",
            name="kind",
            field=models.CharField(
                choices=[
                    ("enterprises", "企业名录"),
                    ("monthly", "企业月度统计（规上）"),
                    ("annual", "企业年度数据"),
                    ("park_annual", "园区年度数据"),
                    ("labels", "认定名单"),
                    ("land", "土地"),
                    ("energy_monthly", "企业月度能源数据"),
                    ("energy_annual", "企业年度能源数据"),
                    ("park_resources", "园区年度资源循环数据"),
                    ("investment_sites", "载体"),
                    ("target_firms", "招商目标企业"),
                    ("investment_projects", "招商项目"),
                    ("supply_links", "链主采购环节"),
                ],
                max_length=20,
                verbose_name="类别",
            ),
        ),
    ]

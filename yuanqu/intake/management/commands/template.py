"""`yuanqu template KIND -o FILE`: write the .xlsx template of a data kind (headers with units,
dropdowns, instructions sheet, example row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.intake.kinds import KINDS, kind_spec
from yuanqu.intake.workbooks import template_bytes

KIND_HELP = "；".join(f"{code}（{spec.label}）" for code, spec in KINDS.items())


class Command(BaseCommand):
    help = "生成某类数据的导入模板（.xlsx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"数据类别：{KIND_HELP}")
        parser.add_argument("-o", "--output", type=Path, default=None, help="输出文件（默认：<类别>模板.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            spec = kind_spec(options["kind"])
        except KeyError:
            raise CommandError(f"未知的数据类别“{options['kind']}”，可选：{KIND_HELP}") from None
        target = Path(options["output"] or f"{spec.file_stem}模板.xlsx")
        target.write_bytes(template_bytes(spec))
        self.stdout.write(f"已生成“{spec.label}”模板：{target}")

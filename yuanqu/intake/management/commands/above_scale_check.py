"""`yuanqu above_scale_check --year Y`: the 规上 consistency report. Lists the industrial firms whose
规上 label for year Y contradicts their reported revenue of year Y − 1 against the pack's threshold
(audit.yaml `above_scale`): labelled without qualifying, and qualifying without a label."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuanqu.core.pack import installed_pack
from yuanqu.intake.pack import AUDIT
from yuanqu.intake.selectors import LABELLED_NOT_QUALIFYING, QUALIFYING_NOT_LABELLED, above_scale_contradictions
from yuanqu.intake.services import system_actor

MSG_SUMMARY = (
    "{year}年规上称号与{previous}年营业收入（标准：{threshold}万元）矛盾的工业企业："
    "有称号未达标{labelled}家，达标无称号{missing}家"
)


class Command(BaseCommand):
    help = "规上一致性报告：列出规上称号与上年营业收入矛盾的工业企业"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="称号所属年度（依据上一年营业收入判定）")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        threshold = installed_pack().section(AUDIT).above_scale_revenue
        found = above_scale_contradictions(system_actor(), year=year)
        for item in found:
            self.stdout.write(f"{item.uscc}\t{item.name}\t{item.text(threshold)}")
        self.stdout.write(
            MSG_SUMMARY.format(
                year=year,
                previous=year - 1,
                threshold=f"{threshold:g}",
                labelled=sum(1 for item in found if item.kind == LABELLED_NOT_QUALIFYING),
                missing=sum(1 for item in found if item.kind == QUALIFYING_NOT_LABELLED),
            )
        )

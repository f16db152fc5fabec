"""The start-up check: a broken installed policy pack stops every `yuanqu` command (Django's system
checks run before each one) with each problem as `file:line: message`. `yuanqu policy check` skips
the system checks so that it can list the problems itself. Registered by `CoreConfig.ready()`; the
pack it loads stays cached for the command that follows."""

from __future__ import annotations

from typing import Any

from django.core import checks

from yuanqu.core.pack.errors import PolicyPackError
from yuanqu.core.pack.loaded import installed_pack, installed_pack_dir

CHECK_ID = "yuanqu.E001"
HINT = "运行 yuanqu policy check 查看全部问题；修正政策包后再启动。"


@checks.register()
def policy_pack_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    path = installed_pack_dir()
    try:
        installed_pack()
    except PolicyPackError as refused:
        return [checks.Error(f"政策包 {path}：{problem}", hint=HINT, id=CHECK_ID) for problem in refused.problems]
    return []

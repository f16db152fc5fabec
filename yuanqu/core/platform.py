"""The platform's names as every page shows them, from the installed policy pack (pack.yaml:
`platform`, `issuer`, `name` and their `_en` forms): the title after each page's own, the brand in
the header and the footer naming the plan and who issued it. Another city's pack names its own
platform; a pack without `platform` gets a name that names no city.

Who calls this: the template context (`yuanqu.context_processors.platform`) and the 500 page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import localised
from yuanqu.core.pack import installed_pack

UNNAMED_PLATFORM = gettext_noop("工业园区产业大数据平台")
BRAND = gettext_noop("园区 · %(platform)s")


@dataclass(frozen=True)
class PlatformNames:
    title: str  # 武汉工业园区产业大数据平台
    brand: str  # 园区 · 武汉工业园区产业大数据平台
    footer: str  # 武汉市经济和信息化局 · 加快推进武汉工业园区高质量发展的实施方案（2025-2027年）


def platform_names() -> PlatformNames:
    """The names in the page's language (the pack's `_en` forms on English pages, where given)."""
    head = installed_pack().head
    title = localised(head.platform, head.platform_en) or gettext(UNNAMED_PLATFORM)
    issuer = localised(head.issuer, head.issuer_en)
    plan = localised(head.name, head.name_en)
    return PlatformNames(
        title=title,
        brand=gettext(BRAND) % {"platform": title},
        footer=" · ".join(part for part in (issuer, plan) if part),
    )


def platform_title_chinese() -> str:
    """The platform's Chinese name, for pages and documents that are always in Chinese."""
    return installed_pack().head.platform or UNNAMED_PLATFORM

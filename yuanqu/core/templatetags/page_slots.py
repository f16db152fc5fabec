"""`{% page_slot "template" %}`: a part of a page that belongs to the requester (the header's name and
notice count, a badge), rendered per request even when the page around it comes from the page cache
(core/pagecache.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from yuanqu.core.pagecache import slot

register = template.Library()


@register.simple_tag(takes_context=True)
def page_slot(context: dict[str, Any], template_name: str) -> SafeString:
    return slot(context.get("request"), template_name)

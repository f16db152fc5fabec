"""The region the installed policy pack covers: its name (pack.yaml `region`, `region_en` on English
pages) and its district basemap (pack.yaml `basemap`, a GeoJSON file of the pack, unless
`YUANQU_BASEMAP_GEOJSON` replaces it with an approved map). Another city's pack brings its own.

Who calls this: the registry's models and services (a park boundary and an enterprise's coordinates
must lie inside the basemap's outline), the map pages (which draw the basemap), intake's validation
and the quarterly report. A pack without a basemap outlines nothing: no place check, an empty map."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import localised
from yuanqu.core.pack import installed_pack, installed_pack_dir

# The region's name when the pack gives none.
UNNAMED_REGION = gettext_noop("本市")


def region_name() -> str:
    """The pack's region (武汉市), in the page's language."""
    pack = installed_pack()
    return localised(pack.region or "", pack.region_en) or gettext(UNNAMED_REGION)


def region_chinese() -> str:
    """The pack's region in Chinese, for messages that are stored or raised in Chinese."""
    return installed_pack().region or UNNAMED_REGION


def district_table_path() -> Path | None:
    """The pack's table of districts and zones (pack.yaml `districts`), or None."""
    name = installed_pack().head.districts
    return installed_pack_dir() / name if name else None


def basemap_path() -> Path | None:
    """The district basemap: the configured approved map, else the pack's own file, else None."""
    if settings.BASEMAP_GEOJSON is not None:
        return Path(settings.BASEMAP_GEOJSON)
    name = installed_pack().head.basemap
    return installed_pack_dir() / name if name else None

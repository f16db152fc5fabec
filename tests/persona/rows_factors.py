"""要素保障 rows of the persona matrix: the land supply register (page, form, API list and write,
the 弹性供地 share). Readers are the city, the districts and the park operators; the land is recorded
by the city and by a district for its own parcels (a parcel outside the district reads as unknown)."""

from __future__ import annotations

from tests.persona.matrix import (
    CITY,
    CITY_ADMINS,
    DENIED,
    DISTRICTS,
    DONE_201,
    DONE_302,
    INVALID,
    OK,
    PARKS,
    R,
    _count,
    access,
)

READ = access(DENIED, (CITY, OK), (DISTRICTS, OK), (PARKS, OK))
SALE = {
    "parcel": "L-PA-1",
    "method": "transfer",
    "term_years": 50,
    "area_mu": "100",
    "land_grade": 1,
    "start_price": "600",
    "final_price": "650",
    "supplied_on": "2025-06-30",
}

ROWS = [
    R("factors:land", "page", "GET", "/factors/land/", READ),
    R("factors:land_new", "form", "GET", "/factors/land/new/", access(DENIED, (CITY_ADMINS, OK), (DISTRICTS, OK))),
    R(
        "factors:land_new",
        "record a sale on L-PA-1",
        "POST",
        "/factors/land/new/",
        # 蔡甸 does not see L-PA-1: the form comes back with “未找到地块” and nothing is written.
        access(DENIED, (CITY_ADMINS, DONE_302), district_jiangxia=DONE_302, district_caidian=OK),
        body=SALE,
        write=_count("factors.LandSupply"),
    ),
    R("GET /api/v1/factors/land", "list", "GET", "/api/v1/factors/land", READ),
    R(
        "POST /api/v1/factors/land",
        "record a sale on L-PA-1",
        "POST",
        "/api/v1/factors/land",
        access(DENIED, (CITY_ADMINS, DONE_201), district_jiangxia=DONE_201, district_caidian=INVALID),
        body=SALE,
        write=_count("factors.LandSupply"),
    ),
    R("GET /api/v1/factors/land/flexible-share", "shares", "GET", "/api/v1/factors/land/flexible-share", READ),
]

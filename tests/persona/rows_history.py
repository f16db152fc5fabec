"""The persona matrix's rows for dated history (时点口径, yuanqu/registry/history.py through the
enterprise's and the park's pages and the registry API): recording an enterprise's change of state
from a day, correcting the first day of one of its versions, recording a park's change of type from a
day and correcting the first day of one of its versions. `refs` gives E1 a second version (迁出 from
2024-03-01) and PA one (省级绿色园区 from 2024-03-01), through the services, for the corrections to
name."""

from __future__ import annotations

from tests.persona.matrix import (
    CITY_ADMINS,
    DENIED,
    DONE,
    DONE_201,
    DONE_302,
    HIDDEN,
    R,
    Row,
    _count,
    _value,
    access,
)
from tests.persona.world import PersonaWorld

_E1 = "武汉甲光电科技有限公司"
_E1_STAFF = ("district_jiangxia", "park_operator")

ROWS: list[Row] = [
    R(
        "registry:enterprise_state_record",
        "E1 迁出 from a day, from its page",
        "POST",
        "/registry/enterprises/{uscc}/history/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            (_E1_STAFF, DONE_302),
            city_viewer=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2025-01-01", "registration_status": "cancelled"},
        write=_count("registry.EnterpriseVersion", enterprise__name=_E1),
    ),
    R(
        "registry:enterprise_state_record",
        "E3 from another district's page",
        "POST",
        "/registry/enterprises/{uscc_other}/history/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            city_viewer=DENIED,
            district_caidian=DONE_302,
            park_operator_pc=DONE_302,
            enterprise_e3=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2025-01-01", "registration_status": "moved_out"},
        write=_count("registry.EnterpriseVersion", enterprise__name="武汉丙生物医药有限公司"),
    ),
    R(
        "registry:enterprise_version_correct",
        "E1's 迁出 date, from its page",
        "POST",
        "/registry/enterprises/{uscc}/history/{history_version}/correct/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            (_E1_STAFF, DONE_302),
            city_viewer=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2024-02-01"},
        write=_value("registry.EnterpriseVersion", "valid_from", pk="{history_version}"),
    ),
    R(
        "registry:park_state_record",
        "PA's type from a day, from its page",
        "POST",
        "/registry/parks/{park}/history/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            city_viewer=DENIED,
            district_jiangxia=DENIED,
            park_operator=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2025-01-01", "park_type": "featured"},
        write=_count("registry.ParkVersion", park__code="PA"),
    ),
    R(
        "registry:park_version_correct",
        "PA's green level date, from its page",
        "POST",
        "/registry/parks/{park}/history/{park_history_version}/correct/",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_302),
            city_viewer=DENIED,
            district_jiangxia=DENIED,
            park_operator=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2024-02-01"},
        write=_value("registry.ParkVersion", "valid_from", pk="{park_history_version}"),
    ),
    R(
        "POST /api/v1/registry/enterprises/{uscc}/history",
        "E1 注销 from a day",
        "POST",
        "/api/v1/registry/enterprises/{uscc}/history",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_201),
            (_E1_STAFF, DONE_201),
            city_viewer=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2025-01-01", "registration_status": "cancelled"},
        write=_count("registry.EnterpriseVersion", enterprise__name=_E1),
    ),
    R(
        "PATCH /api/v1/registry/enterprises/{uscc}/history/{version_id}",
        "E1's 迁出 date",
        "PATCH",
        "/api/v1/registry/enterprises/{uscc}/history/{history_version}",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE),
            (_E1_STAFF, DONE),
            city_viewer=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2024-02-01"},
        write=_value("registry.EnterpriseVersion", "valid_from", pk="{history_version}"),
    ),
    R(
        "POST /api/v1/registry/parks/{code}/history",
        "PA's type from a day",
        "POST",
        "/api/v1/registry/parks/{park}/history",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE_201),
            city_viewer=DENIED,
            district_jiangxia=DENIED,
            park_operator=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2025-01-01", "park_type": "featured"},
        write=_count("registry.ParkVersion", park__code="PA"),
    ),
    R(
        "PATCH /api/v1/registry/parks/{code}/history/{version_id}",
        "PA's green level date",
        "PATCH",
        "/api/v1/registry/parks/{park}/history/{park_history_version}",
        access(
            HIDDEN,
            (CITY_ADMINS, DONE),
            city_viewer=DENIED,
            district_jiangxia=DENIED,
            park_operator=DENIED,
            enterprise=DENIED,
            talent_person=DENIED,
            finance_bureau=DENIED,
        ),
        body={"valid_from": "2024-02-01"},
        write=_value("registry.ParkVersion", "valid_from", pk="{park_history_version}"),
    ),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    import datetime as dt

    from yuanqu.registry.history import enterprise_state_change, park_state_change
    from yuanqu.registry.models import RegistrationStatus

    version = enterprise_state_change(
        actor=world.base.users["city_admin"],
        enterprise=world.base.enterprises["E1"],
        valid_from=dt.date(2024, 3, 1),
        registration_status=RegistrationStatus.MOVED_OUT,
    )
    park_version = park_state_change(
        actor=world.base.users["city_admin"],
        park=world.base.parks["PA"],
        valid_from=dt.date(2024, 3, 1),
        green_level="provincial",
    )
    return {"history_version": str(version.pk), "park_history_version": str(park_version.pk)}

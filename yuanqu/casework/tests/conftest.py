"""Casework fixtures on top of the root `world`: categories bound to the world's unit, a second unit
with its own handler, a supervisor's district, and helpers that move a case through its lifecycle on
a frozen clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings
from pytest_django.plugin import DjangoDbBlocker

from conftest import World, make_user
from yuanqu.casework import clock, services
from yuanqu.casework.models import Case, CaseKind, Category
from yuanqu.core.models import User
from yuanqu.core.roles import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def pdf(name: str = "说明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class CaseWorld:
    world: World
    consult: Category
    assist: Category
    energy: Category
    other_unit: Any
    users: dict[str, User]

    def refresh(self) -> None:
        """Every object read again from the database (a test may have changed one in memory)."""
        self.world.refresh()
        for obj in (self.consult, self.assist, self.energy, self.other_unit, *self.users.values()):
            obj.refresh_from_db()

    def user(self, persona: str) -> User:
        return self.users.get(persona) or self.world.users[persona]

    def submit(
        self,
        *,
        when: dt.datetime,
        persona: str = "enterprise",
        category: Category | None = None,
        title: str = "厂区用电增容",
        enterprise: str | None = None,
        **extra: Any,
    ) -> Case:
        with clock.frozen(when):
            return services.case_submit(
                actor=self.user(persona),
                category=category or self.assist,
                title=title,
                description="新增产线需要增容800千伏安。",
                enterprise=self.world.enterprises[enterprise] if enterprise else None,
                answers=extra.pop("answers", {"urgency": "一般"}),
                **extra,
            )

    def step(self, case: Case, verb: str, when: dt.datetime, persona: str, **kwargs: Any) -> Case:
        """Run `services.case_<verb>` on a fresh copy of the case, as `persona`, at `when`."""
        fresh = Case.objects.get(pk=case.pk)
        function = getattr(services, f"case_{verb}")
        with clock.frozen(when):
            if "version" not in kwargs and verb not in {
                "remind",
                "comment",
                "follow_up",
                "attach",
                "request_extension",
                "request_clarification",
            }:
                kwargs["version"] = fresh.version
            result = function(actor=self.user(persona), case=fresh, **kwargs)
        return result if isinstance(result, Case) else Case.objects.get(pk=case.pk)

    def to_status(self, status: str, *, start: dt.datetime | None = None) -> Case:
        """A case in the given status, reached through the services from a Monday in March 2025."""
        when = start or at(2025, 3, 3)
        case = self.submit(when=when)
        if status == Case.Status.SUBMITTED:
            return case
        if status in {Case.Status.REJECTED}:
            return self.step(case, "reject", when, "handler", reason="不属于受理范围")
        if status == Case.Status.WITHDRAWN:
            return self.step(case, "withdraw", when, "enterprise")
        case = self.step(case, "accept", when, "handler")
        if status == Case.Status.ACCEPTED:
            return case
        if status == Case.Status.AWAITING_SUPPLEMENT:
            return self.step(case, "notify_missing", when, "handler", items=["营业执照副本"])
        case = self.step(case, "assign", when, "handler", lead_unit=self.world.unit)
        if status == Case.Status.ASSIGNED:
            return case
        case = self.step(case, "start", when, "handler")
        if status == Case.Status.IN_PROGRESS:
            return case
        case = self.step(case, "reply", when + dt.timedelta(days=1), "handler", text="已协调供电公司增容。")
        if status == Case.Status.REPLIED:
            return case
        if status == Case.Status.APPEALED:
            return self.step(
                case,
                "rate",
                when + dt.timedelta(days=2),
                "enterprise",
                level="dissatisfied",
                resolved=False,
                next_step="appeal",
            )
        if status == Case.Status.CLOSED:
            return self.step(case, "rate", when + dt.timedelta(days=2), "enterprise", level="satisfied", resolved=True)
        raise ValueError(status)


def build_case_world(world: World) -> CaseWorld:
    from yuanqu.registry.models import ResponsibleUnit

    other_unit = ResponsibleUnit.objects.create(code="zjj-test", name="市资建局", kind=ResponsibleUnit.Kind.BUREAU)
    consult = Category.objects.create(
        code="t_consult", name="咨询", kind=CaseKind.REQUEST, time_limit_days=2, default_unit=world.unit, sort_order=100
    )
    assist = Category.objects.create(
        code="t_assist",
        name="求助",
        kind=CaseKind.REQUEST,
        time_limit_days=10,
        default_unit=world.unit,
        materials=["问题情况说明"],
        sort_order=101,
        questions=[
            {"code": "urgency", "label": "紧急程度", "type": "choice", "choices": ["一般", "紧急"], "required": True},
            {"code": "amount", "label": "涉及金额（万元）", "type": "number", "required": False},
        ],
    )
    energy = Category.objects.create(
        code="t_energy",
        name="能源供应",
        kind=CaseKind.PARK_PROBLEM,
        time_limit_days=10,
        default_unit=other_unit,
        sort_order=102,
    )
    users = {
        "handler_zjj": make_user("t-handler-zjj", Role.HANDLER, unit=other_unit),
        "handler_2": make_user("t-handler-2", Role.HANDLER, unit=world.unit),
        "enterprise_e2": make_user("t-ent-e2", Role.ENTERPRISE, enterprise=world.enterprises["E2"]),
    }
    return CaseWorld(world=world, consult=consult, assist=assist, energy=energy, other_unit=other_unit, users=users)


@pytest.fixture(scope="module")
def _case_world(_module_world: World, django_db_blocker: DjangoDbBlocker) -> CaseWorld:
    """The root module world (`conftest.module_world`) and the casework's categories, units and users,
    built once per test module inside the module's transaction; each test runs in a savepoint of its
    own (see `conftest.module_transaction`), so what a test writes is gone for the next."""
    with django_db_blocker.unblock():
        return build_case_world(_module_world)


@pytest.fixture
def cw(_case_world: CaseWorld, db: None) -> CaseWorld:
    _case_world.refresh()
    return _case_world


@pytest.fixture
def world(cw: CaseWorld) -> World:
    """The root world of this module's `cw` (the casework tests never build a second one)."""
    return cw.world


@pytest.fixture
def frozen() -> Iterator[Any]:
    """Stand on a given instant inside a test: `with frozen(at(2025, 10, 9)): …`."""
    yield clock.frozen

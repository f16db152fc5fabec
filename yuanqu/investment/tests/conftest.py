"""Investment fixtures on top of the root `world`: the pack's chains in the registry, a helper that
registers a project as a given persona, a PDF to prove a stage, and a fixed set of 载体 whose
feasibility for a known project is worked out by hand in test_sites.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from yuanqu.core.models import User
from yuanqu.investment import services
from yuanqu.investment.models import Project, Site
from yuanqu.registry.models import ChainNode

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DAY = dt.date(2026, 3, 2)


def pdf(name: str = "投资协议.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class InvestWorld:
    world: World
    node: ChainNode

    def user(self, persona: str) -> User:
        return self.world.users[persona]

    def project(
        self,
        persona: str = "district_jiangxia",
        *,
        investor: str = "深圳市光谷科技有限公司",
        uscc: str = "",
        district: str = "jiangxia",
        park: str | None = "PA",
        on: dt.date = DAY,
        **extra: Any,
    ) -> Project:
        return services.project_create(
            actor=self.user(persona),
            name=extra.pop("name", "光模块生产基地"),
            investor_name=investor,
            investor_uscc=uscc,
            district=self.world.districts[district],
            park=self.world.parks[park] if park else None,
            chain_node=self.node,
            source="capital",
            planned_investment=extra.pop("planned_investment", Decimal("12.50")),
            registered_on=on,
            **extra,
        )

    def move(self, project: Project, persona: str, stage: str, on: dt.date, **extra: Any) -> Any:
        project.refresh_from_db()
        return services.project_advance(
            actor=self.user(persona), project=project, to_stage=stage, on=on, version=project.version, **extra
        )

    def to_negotiating(self, project: Project, persona: str = "district_jiangxia") -> Project:
        self.move(project, persona, "contact", DAY + dt.timedelta(days=5))
        self.move(project, persona, "negotiating", DAY + dt.timedelta(days=20))
        project.refresh_from_db()
        return project


@pytest.fixture
def inv(world: World) -> InvestWorld:
    if not ChainNode.objects.exists():
        from yuanqu.registry.services import policy_pack_apply

        policy_pack_apply()
    node = ChainNode.objects.select_related("chain").order_by("chain__sort_order", "position").first()
    assert node is not None
    world.parks["PA"].lead_chains.add(node.chain)
    return InvestWorld(world=world, node=node)


def site(
    code: str, world: World, *, kind: str, park: str | None = "PA", district: str = "jiangxia", **fields: Any
) -> Site:
    row = Site(
        code=code,
        name=f"载体{code}",
        kind=kind,
        district=world.districts[district],
        park=world.parks[park] if park else None,
        available_on=DAY,
        confirmed_on=fields.pop("confirmed_on", DAY),
        **fields,
    )
    row.full_clean()
    row.save()
    return row

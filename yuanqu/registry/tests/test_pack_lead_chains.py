"""The most lead chains a park may have is the pack's number (chains.yaml: lead_chain_limit)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from conftest import World
from yuanqu.registry.models import IndustryChain, Park
from yuanqu.registry.services import ERR_LEAD_CHAINS, park_update


def _chains(count: int) -> list[int]:
    return [IndustryChain.objects.create(code=f"c{i}", name=f"链{i}", kind="key_chain").pk for i in range(count)]


def test_it_takes_the_lead_chain_limit_from_the_pack(world: World, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(settings.POLICY_PACK_DIR, pack)
    file = pack / "chains.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("lead_chain_limit: 3\n", "lead_chain_limit: 2\n"), encoding="utf-8"
    )
    chains = _chains(3)
    with override_settings(POLICY_PACK_DIR=pack):
        with pytest.raises(ValidationError) as refused:
            park_update(actor=world.users["city_admin"], park=world.parks["PA"], lead_chain_ids=chains)
        assert refused.value.message_dict == {"lead_chains": [ERR_LEAD_CHAINS.format(limit=2)]}
        park_update(actor=world.users["city_admin"], park=world.parks["PA"], lead_chain_ids=chains[:2])
    assert Park.objects.get(code="PA").lead_chains.count() == 2


def test_the_shipped_pack_refuses_a_fourth_lead_chain(world: World) -> None:
    chains = _chains(4)
    with pytest.raises(ValidationError) as refused:
        park_update(actor=world.users["city_admin"], park=world.parks["PA"], lead_chain_ids=chains)
    assert refused.value.message_dict == {"lead_chains": ["主导产业链至多3条"]}

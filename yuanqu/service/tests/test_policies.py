"""惠企政策直达 on a fixture with known answers: who qualifies, who misses by one condition (named),
who cannot be judged for want of data; the benefit formula and its cap; a firm's own policies with
reasons; 免申即享 confirmation with notices, and no double grant or payment (the service check, and
the database constraint when two confirmations race)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.notifications.models import Notification
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.service import matching, services
from yuanqu.service.config import config
from yuanqu.service.models import Disbursement
from yuanqu.service.services import policies
from yuanqu.service.tests.conftest import ServiceWorld
from yuanqu.stats.models import AnnualStat, ImportBatch

ON = dt.date(2026, 6, 1)


@pytest.fixture
def firms(sv: ServiceWorld) -> dict[str, Any]:
    """E1: 规上, revenue 20000, R&D 800 (4%), 高新 (from the shared world), in park PA.
    E2: 规上, revenue 10000, R&D 200 (2%). E3: 规上, revenue 5000, R&D 400 (8%).
    E4: 规上 and 高新, outside any park, no annual report."""
    firms = sv.world.enterprises
    for key in ("E1", "E2", "E3", "E4"):
        EnterpriseLabel.objects.create(enterprise=firms[key], kind="above_scale", valid_from=dt.date(2020, 1, 1))
    EnterpriseLabel.objects.create(enterprise=firms["E4"], kind="high_tech", valid_from=dt.date(2025, 1, 1))
    batch = ImportBatch.objects.create(kind="annual", status=ImportBatch.Status.APPLIED)
    for key, revenue, rd in (("E1", 20000, 800), ("E2", 10000, 200), ("E3", 5000, 400)):
        AnnualStat.objects.create(
            enterprise=firms[key], year=2025, revenue=Decimal(revenue), rd_expense=Decimal(rd), batch=batch
        )
    return firms


def _names(rows: list[matching.FirmVerdict]) -> list[str]:
    return [row.enterprise.name for row in rows]


def test_it_finds_the_qualifying_firms_and_the_near_misses(sv: ServiceWorld, firms: dict[str, Any]) -> None:
    admin = sv.user("city_admin")
    rd = matching.policy_match(admin, config().policy("rd_expense_subsidy"), on=ON)
    assert _names(rd.qualifying) == [firms["E1"].name]
    assert rd.qualifying[0].benefit == Decimal("40.00")  # 5% of 800, under the cap of 200
    assert _names(rd.near_misses) == [firms["E3"].name]
    assert rd.near_misses[0].missing == "上年研发费用不低于500万元"
    assert rd.near_misses[0].missing_reason == "上年研发费用为400万元，要求不低于500万元：不符合"
    # E2 misses two conditions; E4 has no annual report: not known, so neither a fail nor a near miss.
    assert _names(rd.unknown) == [firms["E4"].name]
    high_tech = matching.policy_match(admin, config().policy("high_tech_first"), on=ON)
    assert _names(high_tech.qualifying) == [firms["E1"].name]
    assert sorted(_names(high_tech.near_misses)) == sorted(firms[key].name for key in ("E2", "E3", "E4"))
    e4 = next(row for row in high_tech.near_misses if row.enterprise == firms["E4"])
    assert e4.missing == "位于工业园区内"


def test_it_caps_the_benefit(firms: dict[str, Any]) -> None:
    policy = config().policy("rd_expense_subsidy")
    assert matching.benefit_of(policy, {"rd_expense": 10_000.0}) == Decimal("200.00")
    assert matching.benefit_of(policy, {"rd_expense": None}) is None
    assert matching.benefit_of(config().policy("high_tech_first"), {}) == Decimal("30.00")


def test_it_scopes_the_lists_to_the_users_firms(sv: ServiceWorld, firms: dict[str, Any]) -> None:
    rd = matching.policy_match(sv.user("district_caidian"), config().policy("rd_expense_subsidy"), on=ON)
    assert (_names(rd.qualifying), _names(rd.near_misses)) == ([], [firms["E3"].name])


def test_a_firm_sees_its_policies_with_reasons_and_what_is_missing(sv: ServiceWorld, firms: dict[str, Any]) -> None:
    rows = {row.policy.code: row for row in matching.firm_policies(firms["E3"], on=ON)}
    assert not rows["rd_expense_subsidy"].verdict.passed
    assert [check.reason for check in rows["rd_expense_subsidy"].verdict.checks] == [
        "持有有效的规上工业企业称号（长期有效）",
        "上年研发投入强度为8%，要求不低于3%：符合",
        "上年研发费用为400万元，要求不低于500万元：不符合",
    ]
    page = sv.world.client("enterprise").get("/service/my-policies/").content.decode()
    assert "首次认定高新技术企业奖励" in page and "持有有效的高新技术企业称号" in page
    api = sv.world.client("enterprise").get(f"/api/v1/service/enterprises/{firms['E1'].uscc}/policies").json()
    first = next(item for item in api["items"] if item["code"] == "rd_expense_subsidy")
    assert (first["status"], first["benefit_wan_yuan"]) == ("pass", "40.00")
    assert (
        sv.world.client("enterprise").get(f"/api/v1/service/enterprises/{firms['E3'].uscc}/policies").status_code == 404
    )


def test_it_confirms_a_list_notifies_the_firms_and_pays_once(
    sv: ServiceWorld, firms: dict[str, Any], on_day: Any
) -> None:
    admin = sv.user("city_admin")
    with on_day(ON):
        batch = services.policy_batch_confirm(actor=admin, policy_code="high_tech_first", enterprises=[firms["E1"]])
        row = Disbursement.objects.get(batch=batch)
        assert row.amount_wan_yuan == Decimal("30.00")
        notice = Notification.objects.get(recipient=sv.user("enterprise"))
        assert notice.title == "免申即享：您的企业符合“首次认定高新技术企业奖励”"
        with pytest.raises(ValidationError) as caught:
            services.policy_batch_confirm(actor=admin, policy_code="high_tech_first", enterprises=[firms["E1"]])
        assert caught.value.message_dict == {
            "enterprises": [policies.ALREADY_GRANTED % {"firm": firms["E1"].name, "batch": batch.number}]
        }
        with pytest.raises(ValidationError) as caught:
            services.disbursement_pay(actor=admin, disbursement=row, paid_on=ON, amount_wan_yuan=Decimal("30.01"))
        assert caught.value.message_dict == {
            "amount_wan_yuan": [policies.AMOUNT_OVER_CAP % {"amount": Decimal("30.01"), "cap": Decimal("30.00")}]
        }
        stale = Disbursement.objects.get(pk=row.pk)  # a second clerk's copy, read before the payment
        services.disbursement_pay(actor=admin, disbursement=row, paid_on=ON)
        with pytest.raises(ValidationError) as caught:
            services.disbursement_pay(actor=admin, disbursement=stale, paid_on=ON)
        assert caught.value.message_dict == {"paid_on": [policies.ALREADY_PAID % {"day": ON}]}
    assert Disbursement.objects.get(pk=row.pk).paid_on == ON
    details = list(
        AuditLog.objects.filter(object_type__startswith="service.").order_by("id").values_list("detail", flat=True)
    )
    assert details == ["免申即享：确认名单", "免申即享：核定金额", "免申即享：拨付"]


def test_the_database_refuses_a_second_grant_when_two_confirmations_race(
    sv: ServiceWorld, firms: dict[str, Any], on_day: Any
) -> None:
    admin = sv.user("city_admin")
    with on_day(ON):
        first = services.policy_batch_confirm(actor=admin, policy_code="high_tech_first", enterprises=[firms["E1"]])
        # The second confirmation read the grants before the first committed: its check sees none.
        empty = Disbursement.objects.none()
        with (
            mock.patch.object(Disbursement.objects, "filter", return_value=empty),
            pytest.raises(ValidationError) as caught,
        ):
            services.policy_batch_confirm(actor=admin, policy_code="high_tech_first", enterprises=[firms["E1"]])
    assert caught.value.message_dict == {
        "enterprises": [policies.ALREADY_GRANTED % {"firm": firms["E1"].name, "batch": "—"}]
    }
    assert list(Disbursement.objects.values_list("batch_id", flat=True)) == [first.pk]


def test_it_refuses_a_firm_that_does_not_qualify_and_a_role_that_may_not_confirm(
    sv: ServiceWorld, firms: dict[str, Any], on_day: Any
) -> None:
    with on_day(ON):
        with pytest.raises(ValidationError) as caught:
            services.policy_batch_confirm(
                actor=sv.user("city_admin"), policy_code="high_tech_first", enterprises=[firms["E2"]]
            )
        assert caught.value.message_dict == {
            "enterprises": [policies.NOT_QUALIFIED % {"firm": firms["E2"].name, "reason": "未持有高新技术企业称号"}]
        }
        with pytest.raises(ValidationError) as caught:
            services.policy_batch_confirm(
                actor=sv.user("city_admin"), policy_code="rd_expense_subsidy", enterprises=[firms["E1"]]
            )
        assert caught.value.message_dict == {"policy": [policies.NOT_EXEMPT % {"name": "企业研发投入补贴"}]}
        for persona in ("district_jiangxia", "park_operator", "enterprise", "city_viewer", "handler"):
            with pytest.raises(WriteDenied):
                services.policy_batch_confirm(
                    actor=sv.user(persona), policy_code="high_tech_first", enterprises=[firms["E1"]]
                )
    assert not Disbursement.objects.exists()


def test_each_role_reads_the_policies_of_its_scope(sv: ServiceWorld, firms: dict[str, Any], on_day: Any) -> None:
    readers = {"city_admin", "city_viewer", "district_jiangxia", "district_caidian", "park_operator", "sysadmin"}
    e1 = firms["E1"].uscc
    with on_day(ON):
        for persona in (
            "city_admin",
            "city_viewer",
            "district_jiangxia",
            "district_caidian",
            "park_operator",
            "enterprise",
            "handler",
            "auditor",
            "sysadmin",
        ):
            client = sv.world.client(persona)
            expected = 200 if persona in readers else 403
            assert client.get("/api/v1/service/policies").status_code == expected, persona
            assert client.get("/service/policies/rd_expense_subsidy/").status_code == expected, persona
            own = client.get(f"/api/v1/service/enterprises/{e1}/policies").status_code
            assert own == (
                404 if persona == "district_caidian" else 200 if persona in readers | {"enterprise"} else 403
            )
            assert client.get("/service/my-policies/").status_code == (200 if persona == "enterprise" else 403)
        counts = {
            persona: sv.world.client(persona)
            .get("/api/v1/service/policies/rd_expense_subsidy/eligibility")
            .json()["items"]
            for persona in ("district_jiangxia", "district_caidian", "park_operator")
        }
    assert {p: sorted((i["enterprise_name"], i["result"]) for i in items) for p, items in counts.items()} == {
        "district_jiangxia": sorted([(firms["E1"].name, "qualifying"), (firms["E4"].name, "unknown")]),
        "district_caidian": [(firms["E3"].name, "near_miss")],
        "park_operator": [(firms["E1"].name, "qualifying")],
    }


def test_the_city_confirms_a_list_on_the_policy_page(sv: ServiceWorld, firms: dict[str, Any], on_day: Any) -> None:
    client = sv.world.client("city_admin")
    with on_day(ON):
        page = client.get("/service/policies/high_tech_first/").content.decode()
        assert "位于工业园区内" in page and firms["E4"].name in page  # E4 misses only that
        response = client.post(
            "/service/policies/high_tech_first/", {"policy": "high_tech_first", "enterprises": [firms["E1"].uscc]}
        )
        assert response.status_code == 302
        refused = sv.world.client("district_jiangxia").post(
            "/service/policies/high_tech_first/", {"policy": "high_tech_first", "enterprises": [firms["E1"].uscc]}
        )
        assert refused.status_code == 403
    assert list(Disbursement.objects.values_list("enterprise__uscc", "amount_wan_yuan")) == [
        (firms["E1"].uscc, Decimal("30.00"))
    ]

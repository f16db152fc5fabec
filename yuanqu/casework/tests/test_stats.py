"""The 三率 and the other statistics on a known set of cases, checked by hand:

A  accepted on time, replied on time, 满意, resolved                    (lead 市经信局)
B  accepted late,    replied late,    不满意, not resolved              (lead 市经信局)
C  accepted on time, still open and overdue on 30 April                 (lead 市经信局)
D  accepted on time, transferred 市经信局 → 市资建局, replied on time, 基本满意, not resolved (蔡甸)
E  submitted 29 April, not yet due for acceptance                       (not assigned)
F  submitted 3 March, never accepted                                     (not assigned)
G  不予受理 on the day                                                   (not assigned)
"""

from __future__ import annotations

import datetime as dt

import pytest

from yuanqu.casework.models import Case
from yuanqu.casework.selectors import CaseFilters
from yuanqu.casework.stats import StatRow, case_statistics
from yuanqu.registry.models import ResponsibleUnit

from .conftest import CaseWorld, at

TODAY = dt.date(2025, 4, 30)


@pytest.fixture
def known(cw: CaseWorld) -> dict[str, Case]:
    mon = at(2025, 3, 3, 9)
    cases: dict[str, Case] = {}

    def handled(title: str, accept: dt.datetime, **kwargs: object) -> Case:
        case = cw.submit(when=mon, title=title, **kwargs)  # type: ignore[arg-type]
        persona = "city_admin" if kwargs.get("persona") == "city_admin" else "handler"
        case = cw.step(case, "accept", accept, persona)
        case = cw.step(case, "assign", accept, persona, lead_unit=cw.world.unit)
        return cw.step(case, "start", accept, "handler")

    a = handled("甲：用电增容", mon)
    a = cw.step(a, "reply", at(2025, 3, 10), "handler", text="已办")
    cases["A"] = cw.step(a, "rate", at(2025, 3, 11), "enterprise", level="satisfied", resolved=True)
    b = handled("乙：人才公寓", at(2025, 3, 5))
    b = cw.step(b, "reply", at(2025, 3, 20), "handler", text="已办")
    cases["B"] = cw.step(b, "rate", at(2025, 3, 21), "enterprise", level="dissatisfied", resolved=False)
    cases["C"] = handled("丙：道路破损", mon)
    d = handled("丁：规划调整", mon, persona="city_admin", enterprise="E3", channel="phone")
    d = cw.step(d, "transfer", at(2025, 3, 4), "handler", to_unit=cw.other_unit, reason="规划事项")
    d = cw.step(d, "start", at(2025, 3, 4), "handler_zjj")
    d = cw.step(d, "reply", at(2025, 3, 12), "handler_zjj", text="已办")
    cases["D"] = cw.step(d, "rate", at(2025, 3, 13), "city_admin", level="basically_satisfied", resolved=False)
    cases["E"] = cw.submit(when=at(2025, 4, 29), title="戊：新近提交")
    cases["F"] = cw.submit(when=mon, title="己：无人受理")
    g = cw.submit(when=mon, title="庚：不属范围")
    cases["G"] = cw.step(g, "reject", at(2025, 3, 3, 15), "handler", reason="属司法事项")
    return cases


def _by_label(rows: list[StatRow]) -> dict[str, StatRow]:
    return {row.label: row for row in rows}


def test_it_computes_the_rates_by_unit(cw: CaseWorld, known: dict[str, Case]) -> None:
    rows, total = case_statistics(cw.user("city_admin"), by="unit", today=TODAY)
    by = _by_label(rows)
    assert list(by) == ["市经信局", "市资建局", "（未交办）"]
    jxj = by["市经信局"]
    assert (jxj.submitted, jxj.responded, jxj.responded_on_time) == (3, 3, 2)
    assert jxj.response_rate == pytest.approx(2 / 3, abs=1e-4)
    assert (jxj.finished, jxj.finished_on_time, jxj.open_overdue) == (2, 1, 1)
    assert jxj.on_time_rate == pytest.approx(1 / 3, abs=1e-4)  # on time ÷ (closed + open overdue)
    assert (jxj.resolution_rate, jxj.satisfaction_rate) == (0.5, 0.5)
    assert jxj.average_handling_days == 8.0  # (5 + 11) / 2
    assert jxj.transfers == 1  # D left it
    zjj = by["市资建局"]
    assert (zjj.response_rate, zjj.on_time_rate, zjj.resolution_rate, zjj.satisfaction_rate) == (1.0, 1.0, 0.0, 1.0)
    assert zjj.average_handling_days == 7.0 and zjj.transfers == 0
    none = by["（未交办）"]
    assert (none.submitted, none.responded, none.unanswered_late) == (3, 1, 1)
    assert none.response_rate == 0.5  # G on time, F late; E not yet due
    assert (none.on_time_rate, none.satisfaction_rate, none.average_handling_days) == (None, None, None)

    assert total.submitted == 7
    assert total.response_rate == pytest.approx(4 / 6, abs=1e-4)
    assert total.on_time_rate == 0.5
    assert total.resolution_rate == pytest.approx(1 / 3, abs=1e-4)
    assert total.satisfaction_rate == pytest.approx(2 / 3, abs=1e-4)
    assert total.average_handling_days == pytest.approx(23 / 3, abs=0.05)
    assert total.transfers == 1


def test_it_groups_by_district_month_category_and_park(cw: CaseWorld, known: dict[str, Case]) -> None:
    admin = cw.user("city_admin")
    districts = _by_label(case_statistics(admin, by="district", today=TODAY)[0])
    assert {label: row.submitted for label, row in districts.items()} == {"江夏区": 6, "蔡甸区": 1}
    assert districts["蔡甸区"].transfers == 1
    months = _by_label(case_statistics(admin, by="month", today=TODAY)[0])
    assert {label: row.submitted for label, row in months.items()} == {"2025-03": 6, "2025-04": 1}
    categories = _by_label(case_statistics(admin, by="category", today=TODAY)[0])
    assert list(categories) == ["求助"]
    parks = _by_label(case_statistics(admin, by="park", today=TODAY)[0])
    assert {label: row.submitted for label, row in parks.items()} == {"江夏现代产业园": 6, "蔡甸特色产业园": 1}


def test_it_counts_only_what_the_user_may_see(cw: CaseWorld, known: dict[str, Case]) -> None:
    _, caidian = case_statistics(cw.user("district_caidian"), by="unit", today=TODAY)
    assert caidian.submitted == 1 and caidian.transfers == 1
    _, firm = case_statistics(cw.user("enterprise"), by="unit", today=TODAY)
    assert firm.submitted == 6
    _, auditor = case_statistics(cw.user("auditor"), by="unit", today=TODAY)
    assert auditor.submitted == 0 and auditor.response_rate is None


def test_it_counts_repeat_requests(cw: CaseWorld) -> None:
    cw.submit(when=at(2025, 3, 3), title="厂区用电增容申请迟迟未批复")
    cw.submit(when=at(2025, 3, 20), title="厂区用电增容申请仍未批复")
    _, total = case_statistics(cw.user("city_admin"), by="category", filters=CaseFilters(), today=TODAY)
    assert total.repeats == 1


def test_two_groups_of_the_same_name_stay_two_rows(cw: CaseWorld, known: dict[str, Case]) -> None:
    # Unit names are not unique (and a park may be renamed): rows are grouped by the unit or park
    # itself, each labelled with its name and carrying its id as the key.
    ResponsibleUnit.objects.filter(pk=cw.other_unit.pk).update(name=cw.world.unit.name)
    rows = case_statistics(cw.user("city_admin"), by="unit", today=TODAY)[0]
    by_unit = {row.key: (row.label, row.submitted, row.transfers) for row in rows}
    assert by_unit[cw.world.unit.pk] == ("市经信局", 3, 1)
    assert by_unit[cw.other_unit.pk] == ("市经信局", 1, 0)
    parks = case_statistics(cw.user("city_admin"), by="park", today=TODAY)[0]
    pa, pc = cw.world.parks["PA"], cw.world.parks["PC"]
    assert {row.key: (row.label, row.submitted) for row in parks} == {pa.pk: (pa.name, 6), pc.pk: (pc.name, 1)}

"""发展环境动态评估: one anonymous answer per firm and wave; no group below the minimum size shows a
figure on the page, in the API or in a total; closing a wave fixes each park's scores and writes the
发展环境指数 as the park's year value of the pack's indicator, equal to a hand calculation."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import make_user
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.core.uscc import make as make_uscc
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service import environment, services
from yuanqu.service.config import config
from yuanqu.service.models import EnvironmentScore, SurveyReceipt, SurveyResponse, SurveyWave
from yuanqu.service.services import surveys
from yuanqu.service.survey_results import wave_results
from yuanqu.service.tests.conftest import ServiceWorld

DAY = dt.date(2026, 6, 10)


def _sheet(score: int, choice: str = "融资") -> dict[str, Any]:
    return {item.code: (score if item.kind == "likert" else choice) for item in config().survey.items}


def _firm_users(park: Park, count: int, start: int) -> list[User]:
    users = []
    for n in range(start, start + count):
        firm = Enterprise.objects.create(
            uscc=make_uscc(f"91420100MA4L{n:05d}"),
            name=f"问卷测试企业{n}",
            industry_id="C3976",
            district=park.district,
            park=park,
            park_assignment="manual",
        )
        users.append(make_user(f"t-firm-{n}", Role.ENTERPRISE, enterprise=firm))
    return users


def _wave(sv: ServiceWorld, on_day: Any, code: str = "2026H1", opens: dt.date = dt.date(2026, 6, 1)) -> SurveyWave:
    with on_day(opens):
        return services.survey_wave_open(
            actor=sv.user("city_admin"),
            code=code,
            name=f"{code}发展环境问卷",
            opens_on=opens,
            closes_on=opens.replace(day=28),
        )


def test_it_keeps_one_answer_per_firm_and_nothing_that_links_it_to_the_firm(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    user = sv.user("enterprise")
    with on_day(DAY):
        receipt = services.survey_answer(actor=user, wave=wave, answers=_sheet(4))
        with pytest.raises(ValidationError) as refused:
            services.survey_answer(actor=user, wave=wave, answers=_sheet(2))
    assert refused.value.messages == [surveys.ALREADY_ANSWERED]
    assert receipt.enterprise == sv.world.enterprises["E1"]
    assert SurveyResponse.objects.count() == 1
    response = SurveyResponse.objects.get()
    assert {field.name for field in SurveyResponse._meta.get_fields()} == {
        "key",
        "wave",
        "park",
        "answers",
        "synthetic",
    }
    assert response.park == sv.world.parks["PA"]
    entry = AuditLog.objects.get(detail="发展环境问卷：答卷")
    assert entry.after is not None and "answers" not in entry.after


def test_it_refuses_an_incomplete_or_out_of_range_sheet_naming_the_item(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    first = config().survey.items[0]
    with on_day(DAY):
        sheet = _sheet(4)
        sheet[first.code] = 6
        with pytest.raises(ValidationError) as too_high:
            services.survey_answer(actor=sv.user("enterprise"), wave=wave, answers=sheet)
        del sheet[first.code]
        with pytest.raises(ValidationError) as missing:
            services.survey_answer(actor=sv.user("enterprise"), wave=wave, answers=sheet)
    assert too_high.value.messages == [f"第1题“{first.text}”的评分应为1至5的整数"]
    assert missing.value.messages == [f"请回答第1题“{first.text}”"]
    assert not SurveyReceipt.objects.exists() and not SurveyResponse.objects.exists()


def test_it_refuses_an_answer_outside_the_wave_and_from_staff(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    with on_day(dt.date(2026, 7, 1)), pytest.raises(ValidationError) as late:
        services.survey_answer(actor=sv.user("enterprise"), wave=wave, answers=_sheet(3))
    assert late.value.messages == ["该问卷期次不在答卷时间内（2026-06-01 至 2026-06-28）或已结束"]
    with on_day(DAY), pytest.raises(WriteDenied):
        services.survey_answer(actor=sv.user("park_operator"), wave=wave, answers=_sheet(3))


def _answer_all(users: list[User], wave: SurveyWave, scores: list[int], on_day: Any) -> None:
    with on_day(DAY):
        for user, score in zip(users, scores, strict=True):
            services.survey_answer(actor=user, wave=wave, answers=_sheet(score))


def test_it_shows_no_figure_for_a_group_below_the_minimum_size(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    pa, pb = sv.world.parks["PA"], sv.world.parks["PB"]
    _answer_all(_firm_users(pa, 10, 100), wave, [4] * 10, on_day)
    _answer_all(_firm_users(pb, 9, 200), wave, [1] * 9, on_day)
    rows, total = wave_results(sv.user("city_admin"), wave)
    by_park = {row.park_code: row for row in rows}
    assert by_park["PA"].shown and by_park["PA"].survey_score == pytest.approx(75.0)
    assert not by_park["PB"].shown and by_park["PB"].responses == 9
    assert by_park["PB"].survey_score is None and by_park["PB"].items == []
    # The total counts the shown groups only: PB cannot be found as total minus PA.
    assert total.responses == 10 and total.survey_score == pytest.approx(75.0)
    client = Client()
    client.force_login(sv.user("district_jiangxia"))
    api = client.get(f"/api/v1/service/surveys/{wave.code}/results").json()
    pb_out = next(group for group in api["groups"] if group["park"] == "PB")
    assert pb_out["shown"] is False and pb_out["survey_score"] is None and pb_out["items"] == []
    assert api["total"]["responses"] == 10
    page = client.get(f"/service/surveys/{wave.code}/").content.decode()
    assert 'data-park="PB" data-shown="0"' in page and "样本不足" in page
    # The export keeps the same rule: PB's row has its count and 样本不足, no score; audited.
    from python_calamine import CalamineWorkbook

    exported = client.get(f"/service/surveys/{wave.code}/export.xlsx")
    assert exported.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(exported.content)).get_sheet_by_index(0).to_python()
    by_code = {line[1]: line for line in sheet[1:]}
    assert by_code["PB"][2] == 9 and by_code["PB"][4] == "样本不足"
    assert all(cell == "" for cell in by_code["PB"][5:])
    assert by_code["PA"][2] == 10 and by_code["PA"][sheet[0].index("问卷得分")] == pytest.approx(75.0)
    assert sheet[-1][2] == 10  # the total: the shown groups only
    assert AuditLog.objects.filter(action="export", object_type="service.SurveyWave").count() == 1


def test_it_computes_the_index_as_the_hand_calculation_and_writes_the_indicator(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    pa = sv.world.parks["PA"]
    scores = [5, 5, 4, 4, 4, 3, 3, 2, 5, 4]
    _answer_all(_firm_users(pa, 10, 300), wave, scores, on_day)
    with on_day(dt.date(2026, 6, 30)):
        services.survey_wave_close(actor=sv.user("city_admin"), wave=wave)
    # By hand: every Likert item has the same answers, mean 3.9 → (3.9 − 1) ÷ 4 × 100 = 72.5 in each
    # dimension, so the survey score is 72.5; PA has no case in 2026, so the index is the survey score.
    mean = sum(scores) / 10
    assert mean == 3.9
    stored = EnvironmentScore.objects.get(wave=wave, park=pa)
    assert stored.responses == 10 and stored.firms == 11  # E1 and the ten
    assert stored.survey_score == Decimal("72.50") and stored.casework_score is None
    assert stored.index == Decimal("72.50")
    value = IndicatorValue.objects.get(
        indicator="business_environment_index", scope_kind=ScopeKind.PARK, scope_code="PA", frequency=Frequency.YEAR
    )
    assert value.period == dt.date(2026, 12, 31) and value.value == Decimal("72.5")
    assert not IndicatorValue.objects.filter(indicator="business_environment_index", scope_code="PB").exists()
    # 95% interval of one item: s = √(Σ(x − 3.9)² ÷ 9)
    sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / 9)
    rows, _total = wave_results(sv.user("city_admin"), wave)
    item = next(row for row in rows if row.park_code == "PA").items[0]
    assert item.low == pytest.approx(mean - 1.96 * sd / math.sqrt(10))
    with pytest.raises(ValidationError) as again:
        services.survey_wave_close(actor=sv.user("city_admin"), wave=wave)
    assert again.value.messages == [surveys.WAVE_CLOSED]


def test_it_weighs_the_casework_rates_into_the_index() -> None:
    casework = environment.casework_score(
        {"response_rate": 1.0, "on_time_rate": 0.5, "resolution_rate": None, "satisfaction_rate": 0.9},
        {"response_rate": 0.25, "on_time_rate": 0.25, "resolution_rate": 0.25, "satisfaction_rate": 0.25},
    )
    # The missing rate drops out: (1.0 + 0.5 + 0.9) ÷ 3 × 100 = 80
    assert casework == pytest.approx(80.0)
    assert environment.environment_index(70.0, 80.0, survey_weight=0.8, casework_weight=0.2) == pytest.approx(72.0)
    assert environment.environment_index(70.0, None, survey_weight=0.8, casework_weight=0.2) == 70.0


def test_it_lets_only_the_city_open_and_close_a_wave(sv: ServiceWorld, on_day: Any) -> None:
    with pytest.raises(WriteDenied):
        services.survey_wave_open(actor=sv.user("district_jiangxia"), code="X", name="X", opens_on=DAY, closes_on=DAY)
    wave = _wave(sv, on_day)
    with pytest.raises(WriteDenied):
        services.survey_wave_close(actor=sv.user("park_operator"), wave=wave)
    assert SurveyWave.objects.get().status == SurveyWave.Status.OPEN


def test_an_enterprise_answers_in_the_portal(sv: ServiceWorld, on_day: Any) -> None:
    wave = _wave(sv, on_day)
    client = Client()
    client.force_login(sv.user("enterprise"))
    with on_day(DAY):
        listing = client.get("/service/surveys/").content.decode()
        assert f"/service/surveys/{wave.code}/answer/" in listing
        data = {f"q_{code}": value for code, value in _sheet(4).items()}
        answer = client.post(f"/service/surveys/{wave.code}/answer/", data)
        assert answer.status_code == 302
        again = client.get(f"/service/surveys/{wave.code}/answer/").content.decode()
    assert 'data-testid="survey-answered"' in again
    assert SurveyResponse.objects.get().answers[config().survey.items[0].code] == 4
    assert client.get(f"/service/surveys/{wave.code}/").status_code == 403

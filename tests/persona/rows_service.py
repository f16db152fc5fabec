"""The persona rows of 陪跑/惠企 routes added after the matrix's own table: the 发展环境 questionnaire
(waves, answers, results, close). Readers of the results are the city, the districts and the park
operators; only the city admins open and close a wave; only an enterprise answers, in the portal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.persona.matrix import (
    CITY_ADMINS,
    DENIED,
    DONE,
    DONE_201,
    DONE_302,
    FIRMS,
    INVEST,
    OK,
    R,
    _count,
    _value,
    access,
)
from tests.persona.world import PersonaWorld


def _sheet() -> dict[str, Any]:
    from yuanqu.service.config import config

    return {item.code: (4 if item.kind == "likert" else item.choices[0]) for item in config().survey.items}


def _page_sheet(refs: Mapping[str, str]) -> dict[str, Any]:
    return {f"q_{code}": value for code, value in _sheet().items()}


ROWS = [
    R("service:surveys", "waves", "GET", "/service/surveys/", access(DENIED, (INVEST, OK), (FIRMS, OK))),
    R(
        "service:surveys",
        "open a wave",
        "POST",
        "/service/surveys/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={"code": "PW-NEW", "name": "矩阵新期次", "opens_on": "2030-01-01", "closes_on": "2030-01-31"},
        write=_count("service.SurveyWave"),
    ),
    R("service:survey", "results", "GET", "/service/surveys/{wave}/", access(DENIED, (INVEST, OK))),
    R(
        "service:survey_close",
        "close the wave",
        "POST",
        "/service/surveys/{wave}/close/",
        access(DENIED, (CITY_ADMINS, DONE_302)),
        body={},
        write=_value("service.SurveyWave", "status", code="{wave}"),
    ),
    R("service:survey_answer", "form", "GET", "/service/surveys/{wave}/answer/", access(DENIED, (FIRMS, OK))),
    R(
        "service:survey_answer",
        "answer",
        "POST",
        "/service/surveys/{wave}/answer/",
        access(DENIED, (FIRMS, DONE_302)),
        body=_page_sheet,
        write=_count("service.SurveyReceipt"),
    ),
    R(
        "GET /api/v1/service/surveys",
        "waves",
        "GET",
        "/api/v1/service/surveys",
        access(DENIED, (INVEST, OK), (FIRMS, OK)),
    ),
    R(
        "POST /api/v1/service/surveys",
        "open a wave",
        "POST",
        "/api/v1/service/surveys",
        access(DENIED, (CITY_ADMINS, DONE_201)),
        body={"code": "PW-API", "name": "矩阵新期次", "opens_on": "2030-01-01", "closes_on": "2030-01-31"},
        write=_count("service.SurveyWave"),
    ),
    R(
        "GET /api/v1/service/surveys/{code}/results",
        "results",
        "GET",
        "/api/v1/service/surveys/{wave}/results",
        access(DENIED, (INVEST, OK)),
    ),
    R(
        "POST /api/v1/service/surveys/{code}/close",
        "close the wave",
        "POST",
        "/api/v1/service/surveys/{wave}/close",
        access(DENIED, (CITY_ADMINS, DONE)),
        body={},
        write=_value("service.SurveyWave", "status", code="{wave}"),
    ),
    R(
        "POST /api/v1/service/surveys/{code}/answers",
        "answer",
        "POST",
        "/api/v1/service/surveys/{wave}/answers",
        access(DENIED, (FIRMS, DONE_201)),
        body=lambda refs: {"answers": _sheet()},
        write=_count("service.SurveyReceipt"),
    ),
]


def refs(world: PersonaWorld) -> dict[str, str]:
    """An open wave of the questionnaire, answerable today."""
    import datetime as dt

    from yuanqu.casework import clock
    from yuanqu.service.services import survey_wave_open

    today = clock.today()
    wave = survey_wave_open(
        actor=world.users["city_admin"],
        code="PW1",
        name="矩阵问卷",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=60),
    )
    return {"wave": wave.code}

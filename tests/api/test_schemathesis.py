"""Every operation of the OpenAPI document, driven by schemathesis as three personas (city
administrator, enterprise user, park operator): no answer may be a server error, and every status
must be one the operation documents.

Bounded and reproducible (derandomised), and sized so that no request is paid for twice:

- The city administrator, whose scope is the whole city and so reaches the deepest code behind every
  operation, runs the full generation: valid and malformed requests (schemathesis's positive and
  negative modes), each operation with path parameters once with generated ones (objects that do
  not exist, odd keys) and once with ones that exist in the test world, `EXAMPLES` each.
- The enterprise user and the park operator run the documented-status check, `SCOPED_EXAMPLES`
  each: valid requests to every operation, and where an operation addresses an object, the objects
  of the test world — in one persona's scope and outside the other's, which is where their answers
  differ from the administrator's. Malformed requests and generated keys are not repeated for them:
  the API validates a request (422) before any view or scope runs, and a key that addresses nothing
  answers 404 through the same lookup for every persona, so those requests would run the
  administrator's code again.

Each persona is its own transactional test, so what one run writes (and commits, as the views do)
is gone before the next; the suite runs it on SQLite and, in CI, on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import status_code_conformance

from conftest import World

FULL = "city_admin"
PERSONAS = [FULL, "enterprise", "park_operator"]
EXAMPLES = 8
SCOPED_EXAMPLES = 3


def _known_path_parameters(world: World) -> dict[str, Any]:
    return {
        "code": "PA",
        "uscc": world.enterprises["E1"].uscc,
        "kind": "monthly",
        "number": "ZM-0",
        "run_id": 1,
        "batch_id": 1,
        "approval_id": 1,
        "attachment_id": 1,
        "park": "PA",
        "request_id": 1,
        "job_id": 1,
        "conflict_id": 1,
        "disbursement_id": 1,
        "entry_id": 1,
        "meeting_id": 1,
        "plan_id": 1,
        "fee_id": 1,
        "companion_id": 1,
        "item_id": 1,
        "version_id": 1,
        "fund_id": 1,
        "investment_id": 1,
        "service_type": "agency",
        "pk": 1,
    }


def strategies(operation: Any, persona: str, known: dict[str, Any]) -> list[SearchStrategy[Any]]:
    """The requests `persona` makes of `operation` (see the module's docstring)."""
    names = {parameter.name for parameter in operation.path_parameters}
    existing = [operation.as_strategy(path_parameters={name: known[name] for name in names})] if names else []
    if persona == FULL:
        return [operation.as_strategy(generation_mode=mode) for mode in GenerationMode] + existing
    return existing or [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_operation_answers_a_server_error_or_an_undocumented_status(
    persona: str, world: World, transactional_db: None
) -> None:
    from yuanqu.core.services import api_token_create

    _, raw = api_token_create(user=world.users[persona], name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    known = _known_path_parameters(world)
    examples = EXAMPLES if persona == FULL else SCOPED_EXAMPLES
    failures: list[str] = []
    results = list(schema.get_all_operations())
    invalid = [result.err() for result in results if isinstance(result, Err)]
    assert not invalid, invalid
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) > 60
    for operation in operations:
        for strategy in strategies(operation, persona, known):

            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def call(case: Any) -> None:
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

            try:
                call()
            except Exception as exc:
                failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)

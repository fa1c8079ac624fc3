"""Every operation of the OpenAPI document, driven by schemathesis with generated input against
the live app on SQLite and PostgreSQL: no answer is a 5xx, and every answer (status, content
type, body) conforms to the document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.api.conftest import live
from tests.conftest import Town

from commgov.api import create_app

EXAMPLES = 5
"""Generated examples per operation and back end: bounded so the suite stays quick (raise it
locally to search harder)."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip


@pytest.mark.property
def test_every_operation_answers_within_its_documented_contract(any_town: Town) -> None:
    """The test town served live (a SQLite file, then PostgreSQL); its OpenAPI document read
    from it; every operation called with generated input under a grid worker's key."""
    worker = any_town.worker(any_town.grid_a1)
    made = any_town.cg.api_keys.create(any_town.admin, staff_id=worker.staff_id)
    any_town.cg.cases.report(worker, text="seed case", unit=any_town.grid_a1)
    headers = {"Authorization": f"Bearer {made.secret}"}
    failures: list[str] = []
    with live(create_app(any_town.cg)) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)

            try:
                call()
            except Exception as exc:  # every operation's failure is collected, then shown
                failures.append(f"{operation.label}: {exc}")
    assert len(operations) >= 6
    assert not failures, "\n\n".join(failures)

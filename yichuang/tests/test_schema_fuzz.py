"""The OpenAPI schema is a contract that is tested, not hoped for (API.md, issue "no 5xx
from junk"): schemathesis generates requests from `/api/v1/openapi.json` for every operation
and checks that none answers a server error and every status answered is declared.

Bounded and deterministic: a few examples per operation valid and invalid (`derandomize`,
no shrinking, no example database), once anonymously (public operations) and once with a hall office token
(staff operations), against a small hall with a published service and a case."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from yichuang.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = 6  # per operation, valid and invalid requests; ~80 operations in all
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture
def keep_connection():
    """Like Django's test client: the WSGI handler must not close the test's database
    connection at the end of each request (on PostgreSQL that ends the test transaction).
    Ask for it after any use of the test client, which reconnects the signals."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_hall(hall, api_for):
    """Something for the generated requests to find: a published service and a case."""
    from yichuang.cases.tests.factories import all_required, make_service

    service = make_service(hall)
    api_for(hall.alice).post(
        "/api/v1/cases",
        {
            "service": service.code,
            "channel": "window",
            "applicant": {"name": "李小明", "phone": "13812345678"},
            "materials": all_required(service),
        },
        content_type="application/json",
    )
    return hall


def _fuzz(headers: dict, *, public: bool) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if bool(operation.definition.raw.get("security")) == public:
            continue

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            )
        )
        def run(case):
            # Every WSGI server sets REMOTE_ADDR; werkzeug's test client does not.
            response = case.call(headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.10"})
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    return failures


def test_no_public_operation_answers_5xx_or_an_undeclared_status(fuzz_hall, keep_connection):
    failures = _fuzz({}, public=True)
    assert not failures, "\n\n".join(failures)


def test_no_staff_operation_answers_5xx_or_an_undeclared_status(fuzz_hall, keep_connection):
    from yichuang.core.models import ApiToken

    token = ApiToken.issue(fuzz_hall.olga)
    failures = _fuzz({"Authorization": f"Bearer {token}"}, public=False)
    assert not failures, "\n\n".join(failures)

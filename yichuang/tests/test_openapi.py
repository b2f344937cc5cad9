"""API.md: every error status an operation can answer, and every enumerated value of a
field, is declared in the OpenAPI schema."""

from typing import Annotated, get_args, get_origin

import pytest
from django.test import Client
from pydantic import BaseModel, WithJsonSchema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method.upper(), op


def error_ref(response):
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_declares_its_error_statuses_with_the_error_body(schema):
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, method, op in operations(schema):
        responses = op["responses"]
        expected = {"400"}
        if op.get("security"):
            expected |= {"401", "403"}
        else:
            expected.add("429")
        if "{" in path or method != "GET":
            expected.add("404")
        if method != "GET":
            expected.add("409")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            assert error_ref(responses[status]).endswith("/ErrorOut"), (method, path, status)
        assert "500" not in responses


def test_a_bad_password_is_a_declared_401(schema):
    assert "401" in schema["paths"]["/api/v1/auth/token"]["post"]["responses"]


def _props(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def _enum(prop):
    if "enum" in prop:
        return prop["enum"]
    return next(p["enum"] for p in prop["anyOf"] if "enum" in p)


def test_enumerated_fields_list_their_values(schema):
    from yichuang.feedback.models import ComplaintOutcome, Finding

    assert _enum(_props(schema, "FollowUpOut")["finding"]) == Finding.values
    assert _enum(_props(schema, "VerifyIn")["finding"]) == Finding.values
    assert _enum(_props(schema, "ComplaintOut")["outcome"]) == ComplaintOutcome.values
    assert _enum(_props(schema, "VerifyComplaintIn")["outcome"]) == ComplaintOutcome.values
    assert _enum(_props(schema, "RatingIn")["level"]) == [5, 4, 3, 2, 1]
    assert _enum(_props(schema, "CaseIn")["channel"]) == ["window", "online", "post", "phone"]
    assert "accepted" in _enum(_props(schema, "CaseRow")["status"])
    assert _enum(_props(schema, "CaseRow")["light"]) == ["green", "yellow", "red"]
    assert "on_duty" in _enum(_props(schema, "PresenceIn")["status"])


def _listed_values(annotation):
    """(the declared type, the schema) of each `Annotated[T, one_of(...)]` in an annotation,
    including inside `X | None`."""
    if get_origin(annotation) is Annotated:
        declared, *metadata = get_args(annotation)
        for meta in metadata:
            if isinstance(meta, WithJsonSchema) and "enum" in (meta.json_schema or {}):
                yield declared, meta.json_schema
    for arg in get_args(annotation):
        yield from _listed_values(arg)


def _models(cls=BaseModel):
    for sub in cls.__subclasses__():
        yield sub
        yield from _models(sub)


def test_a_listed_field_is_declared_with_the_type_of_its_values(schema):
    """`one_of` only writes the schema; the field's declared type (`Annotated[str, ...]`) is
    what pydantic parses, so the two must agree or a listed value would be refused. The
    routers' query parameters are models too (ninja builds them), so they are covered."""
    kinds = {"string": str, "integer": int}
    checked = 0
    for model in _models():
        for name, field in model.model_fields.items():
            found = list(_listed_values(field.annotation))
            if any(isinstance(m, WithJsonSchema) for m in field.metadata):
                found += _listed_values(Annotated[(field.annotation, *field.metadata)])
            for declared, listed in found:
                checked += 1
                assert kinds[listed["type"]] is declared, (model.__name__, name, listed)
    assert checked > 50

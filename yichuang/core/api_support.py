"""What every router shares: authentication, the error body of API.md, pagination."""

import functools
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from pydantic import WithJsonSchema

from .errors import DomainError, Invalid
from .middleware import has_junk
from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        staff = ApiToken.staff_for(token)
        if staff is not None:
            request.user = staff
        return staff


class StaffSession(SessionAuth):
    """The web UI's session, for htmx calls from staff pages (CSRF checked by ninja)."""


STAFF_AUTH = [BearerToken(), StaffSession()]


def error_body(code: str, message: str, **extra) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra)
    return {"error": body}


def _first_validation_message(errors: list[dict]) -> str:
    if not errors:
        return _("输入有误")
    err = errors[0]
    where = ".".join(
        str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")
    )
    return _("输入有误：%(field)s %(msg)s") % {"field": where, "msg": err.get("msg", "")}


def _junk_anywhere(value) -> bool:
    if isinstance(value, str):
        return has_junk(value)
    if isinstance(value, dict):
        return any(_junk_anywhere(k) or _junk_anywhere(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_junk_anywhere(v) for v in value)
    return False


class JsonParser(Parser):
    """JSON bodies, refusing what no text column can hold: a NUL (`\\u0000`, which PostgreSQL
    refuses) or a lone surrogate (`\\ud800`, which cannot be encoded as UTF-8). The same rule
    as CleanEdgesMiddleware applies to paths, query strings and forms."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise Invalid(_("请求体不是有效的 JSON"), code="invalid_json") from exc
        if _junk_anywhere(data):
            raise Invalid(
                _("请求中含有无效字符（如空字符或不完整的 Unicode 字符），请检查后重试"),
                code="invalid_characters",
            )
        return data


def install_error_handlers(api: NinjaAPI) -> None:
    """Domain errors and ninja's own refusals become the error body here. An unexpected
    exception is left to Django (logged and reported as usual, `got_request_exception`
    sent); core.middleware.CleanEdgesMiddleware then gives its 500 the error body too."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        extra = {"fields": exc.fields} if exc.fields else {}
        return api.create_response(
            request, error_body(exc.code, exc.message, **extra), status=exc.status
        )

    @api.exception_handler(Ratelimited)
    def rate_limited(request, exc):
        return api.create_response(
            request, error_body("rate_limited", _("请求过于频繁，请稍后再试")), status=429
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, error_body("not_allowed", _("您没有权限执行此操作")), status=403
        )

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return api.create_response(
            request,
            error_body("invalid", _first_validation_message(exc.errors), fields=exc.errors),
            status=400,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return api.create_response(
            request, error_body("not_authenticated", _("请先登录或提供有效的令牌")), status=401
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("未找到")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, DomainError):  # the body parser's own refusal
            return domain_error(request, exc.__cause__)
        codes = {
            400: "invalid",
            401: "not_authenticated",
            403: "not_allowed",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            429: "rate_limited",
        }
        return api.create_response(
            request,
            error_body(codes.get(exc.status_code, "error"), str(exc.message)),
            status=exc.status_code,
        )


MAX_PAGE = 1_000_000  # × the largest page size stays far inside a 64-bit OFFSET
MAX_PAGE_SIZE = 500


def one_of(*choices, description: str | None = None) -> WithJsonSchema:
    """The OpenAPI schema of a str (or int) field that lists its values, for
    `Annotated[str, one_of(Status)]` (`Annotated[int, ...]` for IntegerChoices): pass the
    model's TextChoices/IntegerChoices (their values, in order) or plain values. The field
    stays a plain str for pydantic and for type checkers (a Literal built at run time is no
    type mypy can read); only the schema changes: an input outside the list still reaches the
    service, which refuses it with its own message and code (a 400), so declaring an enum
    changes no answer."""
    values: list = []
    for choice in choices:
        values.extend(getattr(choice, "values", None) or [choice])
    kind, type_name = (
        (int, "integer") if all(isinstance(v, int) for v in values) else (str, "string")
    )
    schema: dict[str, Any] = {"type": type_name, "enum": [kind(v) for v in values]}
    if description:
        schema["description"] = description
    return WithJsonSchema(schema)


LIGHT = Annotated[
    str, one_of("green", "yellow", "red", description="the deadline light (红黄绿灯)")
]


class ErrorDetail(Schema):
    code: str = Field(description="snake_case, stable: what a client branches on")
    message: str = Field(description="for people, Chinese by default")
    fields: Any = Field(None, description="per-field details of bad input, when known")


class ErrorOut(Schema):
    """The error body of API.md, for every 4xx (and the 500 that must never happen)."""

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "Bad input (the error body says which); nothing changed",
    401: "No valid token or session",
    403: "Not allowed for this staff member",
    404: "Not found, or not visible to the caller (another department's is simply not found)",
    409: "Refused in the current state, or a duplicate",
    429: "Too many requests or failed lookups from this address; try later",
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def may_answer(*statuses: int):
    """Declare statuses an operation answers beyond what `errors_of` derives from its auth,
    verb and path. Put it below the router's decorator."""

    def mark(view):
        view.may_answer = tuple(getattr(view, "may_answer", ())) + statuses
        return view

    return mark


def _accepts_token(view) -> bool:
    """A public operation that also serves staff calls `optional_staff`: a bad token is a
    401 there, and a staff member may be refused (403)."""
    code = getattr(inspect.unwrap(view), "__code__", None)
    return code is not None and "optional_staff" in code.co_names


def errors_of(operation) -> set[int]:
    """The error statuses an operation can answer, derived once for all from how it is
    declared (so that no operation can forget one):
    - every operation: 400 (bad parameters, a page out of range, characters no text can hold);
    - staff operations and public ones that accept a token: 401, 403;
    - an object named in the path (or, for a write, in the body): 404;
    - writes: 409 (state conflicts and duplicates);
    - public operations: 429 (lookups by number and code, anonymous creation, log-in);
    plus whatever the view declares with `may_answer`."""
    view = operation.view_func
    methods = set(operation.methods)
    statuses = {400}
    public = not operation.auth_callbacks
    if not public or _accepts_token(view):
        statuses |= {401, 403}
    if "{" in operation.path or methods & WRITE_METHODS:
        statuses.add(404)
    if methods & WRITE_METHODS:
        statuses.add(409)
    if public:
        statuses.add(429)
    statuses.update(getattr(view, "may_answer", ()))
    return statuses


class ErrorResponse(Schema):
    """ninja reads a response's schema from the `response` field of a wrapper model."""

    response: ErrorOut


class _SchemaWithErrors(OpenAPISchema):
    def responses(self, operation):
        result = super().responses(operation)
        ref = None
        for status in sorted(errors_of(operation)):
            if status in result:
                continue
            if ref is None:
                # Any pydantic model does; ninja's annotation names only its parameter models.
                ref = self._create_schema_from_model(  # type: ignore[type-var]
                    ErrorResponse, mode="serialization"
                )[0]
            result[status] = {
                "description": ERROR_DESCRIPTIONS.get(status, "Error"),
                "content": {self.api.renderer.media_type: {"schema": ref}},
            }
        return result


class Api(NinjaAPI):
    """NinjaAPI whose OpenAPI schema declares, for every operation, the error statuses it can
    answer with the error body (API.md: every error status is declared)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _SchemaWithErrors(api=self, path_prefix=path_prefix)


class PageNumber(PaginationBase):
    """`?page=&page_size=` → `{"count", "results"}` (API.md). A page past the end is empty;
    a page or size that is not a whole number in range is a 400."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        count: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        start = (pagination.page - 1) * pagination.page_size
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        return {"count": count, "results": list(queryset[start : start + pagination.page_size])}


def optional_staff(request):
    """For endpoints that are public for one use and staff-only for another: the staff
    member behind a bearer token or session, None when anonymous; a bad token is a 401."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, raw = header.partition(" ")
        staff = ApiToken.staff_for(raw.strip()) if scheme.lower() == "bearer" else None
        if staff is None:
            raise AuthenticationError()
        return staff
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class Mapped:
    """A queryset whose rows are turned into response dicts only for the page being sent:
    the paginator counts in the database and slices before anything is mapped. `count`, when
    given, answers the total instead of a COUNT of the queryset (e.g. from a tally kept by the
    app's flow, when counting would read the whole history)."""

    def __init__(self, queryset, fn, *, count: Callable[[], int] | None = None):
        self.queryset, self.fn, self.counter = queryset, fn, count

    def count(self) -> int:
        return self.counter() if self.counter is not None else self.queryset.count()

    def __getitem__(self, item):
        return [self.fn(row) for row in self.queryset[item]]


def answered_in_transaction(view):
    """Run an action and build its answer in one transaction: an answer that fails to build
    undoes the change, so a client never gets a 500 for a change that happened (and retries
    a call-next that already called someone)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            return view(*args, **kwargs)

    return wrapper

"""What every router shares: authentication, the error body of API.md, pagination."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from .errors import DomainError
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


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        extra = {"fields": exc.fields} if exc.fields else {}
        return api.create_response(
            request, error_body(exc.code, exc.message, **extra), status=exc.status
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


class PageNumber(PaginationBase):
    """`?page=&page_size=` → `{"count", "results"}` (API.md)."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        count: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, **params):
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
    the paginator counts in the database and slices before anything is mapped."""

    def __init__(self, queryset, fn):
        self.queryset, self.fn = queryset, fn

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):
        return [self.fn(row) for row in self.queryset[item]]

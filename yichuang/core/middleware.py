"""Junk in, a clear 4xx out (API.md "Errors").

`CleanEdgesMiddleware` does two things for every request, so that no endpoint or page has to
remember them:

- It refuses input the database cannot store or compare: a NUL character (PostgreSQL refuses
  it in any text) or a lone UTF-16 surrogate (not encodable as UTF-8) in the path, the query
  string or a posted form field. The API answers 400 with the error body, a page answers a
  friendly 400 page. JSON bodies are checked by the API's parser (`api_support.JsonParser`).
- Under /api/ every error answer carries the JSON error body, whoever produced it: Django's
  404 for an unknown address, ninja's bare 405, a CSRF 403, the login lockout's 429 page, or
  the 500 of an unexpected exception (logged as usual by Django before it gets here). The
  status is kept; only the body changes.

A rate limit of django-ratelimit (`Ratelimited`, a PermissionDenied) answers 429, not 403.
"""

import re

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited

API_PREFIX = "/api/"

# NUL, and the surrogate code points that only a broken (lone) surrogate can produce in a str.
_JUNK = re.compile("[\x00\ud800-\udfff]")


def has_junk(value: str) -> bool:
    return bool(_JUNK.search(value))


def _junk_in_querydict(qd) -> bool:
    return any(has_junk(k) or any(has_junk(v) for v in qd.getlist(k)) for k in qd)


def _junk_in_request(request) -> bool:
    if has_junk(request.path) or _junk_in_querydict(request.GET):
        return True
    # The API reads its body as JSON and checks it there (api_support): parsing a form here
    # would leave it no body to read.
    if (
        request.method in ("POST", "PUT", "PATCH")
        and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        and not _is_api(request)
    ):
        if _junk_in_querydict(request.POST):
            return True
        if any(has_junk(f.name or "") for f in request.FILES.values()):
            return True
    return False


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _code_and_message(status: int) -> tuple[str, str]:
    known = {
        400: ("invalid", _("请求无效")),
        401: ("not_authenticated", _("请先登录或提供有效的令牌")),
        403: ("not_allowed", _("您没有权限执行此操作")),
        404: ("not_found", _("未找到")),
        405: ("method_not_allowed", _("不支持此请求方法")),
        413: ("too_large", _("请求过大")),
        429: ("rate_limited", _("请求过于频繁，请稍后再试")),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return "server_error", _("服务器内部错误，请稍后再试；如一再出现，请联系系统管理员")
    return "error", _("请求未能完成")


def api_error(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    default_code, default_message = _code_and_message(status)
    return JsonResponse(
        {"error": {"code": code or default_code, "message": message or default_message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _junk_response(request) -> HttpResponse:
    message = _("请求中含有无效字符（如空字符或不完整的 Unicode 字符），请检查后重试")
    if _is_api(request):
        return api_error(400, "invalid_characters", message)
    title = _("请求无效")
    return render(
        request, "core/bad_request.html", {"title": title, "message": message}, status=400
    )


class CleanEdgesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _junk_in_request(request):
            return _junk_response(request)
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and not getattr(response, "streaming", False)
            and not _is_json(response)
        ):
            allow = response.get("Allow")
            message = None
            if getattr(request, "axes_locked_out", False):  # django-axes' lockout page
                message = _("登录失败次数过多，账号已暂时锁定，请 15 分钟后再试")
            response = api_error(response.status_code, message=message)
            if allow:
                response["Allow"] = allow
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            message = _("请求过于频繁，请稍后再试")
            if _is_api(request):
                return api_error(429, "rate_limited", message)
            context = {"title": _("请稍后再试"), "message": message}
            return render(request, "core/bad_request.html", context, status=429)
        return None

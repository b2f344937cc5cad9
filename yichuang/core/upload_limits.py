"""Caps on one request's uploads, enforced before any file is kept.

Django streams multipart uploads to temporary files while it parses the body, so a request's
size and file count are checked here, first thing: a body larger than UPLOAD_MAX_REQUEST_MB is
refused from its Content-Length without being read; otherwise the body is parsed at once, and
the parser stops at the first file past DATA_UPLOAD_MAX_NUMBER_FILES (set from
UPLOAD_MAX_FILES_PER_REQUEST). Either way the answer is a 400 that says what to do, as the API
error body under /api/ and as a short page elsewhere. The caps per case and per campaign unit
are the services' (cases.attachments, campaigns.evidence)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MB = 1024 * 1024


def max_request_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_REQUEST_MB", 50)) * MB


def max_files() -> int:
    return int(getattr(settings, "UPLOAD_MAX_FILES_PER_REQUEST", 10))


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type.startswith(
            "multipart/"
        ):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request):
        if _content_length(request) > max_request_bytes():
            return refuse(
                request,
                "upload_too_large",
                _("一次提交的文件合计不能超过 %(mb)d MB，请分次提交或压缩后再上传")
                % {"mb": max_request_bytes() // MB},
            )
        if request.path.startswith("/api/"):
            # The API takes no uploads and reads its JSON from the body: parsing the stream
            # as a form here would leave it no body to read. A form sent there is refused by
            # the API's JSON parser as any other body that is not JSON.
            return None
        try:
            request.POST  # noqa: B018 — parse now, so that the caps apply before any view
        except TooManyFilesSent:
            return refuse(
                request,
                "too_many_files",
                _("一次最多上传 %(n)d 个文件，请分次提交") % {"n": max_files()},
            )
        except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
            return refuse(request, "invalid_upload", _("提交的内容无法读取，请重新选择文件后提交"))
        return None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def refuse(request, code: str, message: str) -> HttpResponse:
    # Nothing of the body is kept: the parser's temporary files are deleted when released.
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": {"code": code, "message": message}}, status=400)
    html = render_to_string("core/upload_refused.html", {"message": message})
    return HttpResponse(html, status=400)

"""The applicant's own uploads, downloaded from the progress page with the case number and
query code: wrong codes count towards the lookup limit, every download is in the audit
record, and the file always arrives as an attachment."""

from django.shortcuts import render

from yichuang.cases.attachments import public_attachment
from yichuang.core.errors import RateLimited
from yichuang.core.files import send_file
from yichuang.core.ratelimits import count_failed_lookup, guard_lookup

from ..forms import LookupForm
from .apply import LOOKUP


def attachment(request, number, pk):
    try:
        guard_lookup(request, LOOKUP)
    except RateLimited as exc:
        context = {"form": LookupForm(), "error": exc.message, "pnav": "progress"}
        return render(request, "portal/lookup.html", context, status=429)
    upload = public_attachment(number, request.GET.get("c") or "", pk)
    if upload is None:
        count_failed_lookup(request, LOOKUP)
        return render(request, "portal/not_found.html", {}, status=404)
    return send_file(
        request,
        upload.file,
        filename=upload.original_name,
        content_type=upload.content_type,
        action="attachment.download",
        target=upload,
        summary=f"{upload.case.number} {upload.original_name}",
        data={"case": upload.case.number, "by": "applicant"},
    )

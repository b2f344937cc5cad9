"""The applicant's own uploads, downloaded from the progress page with the case number and
query code: wrong codes count towards the lookup limit, every download is in the audit
record, and the file always arrives as an attachment."""

from django.shortcuts import render

from yichuang.cases.attachments import public_attachment
from yichuang.cases.models import Case
from yichuang.core.errors import NotFound, RateLimited
from yichuang.core.files import send_file
from yichuang.core.lookup import find_by_code

from ..forms import LookupForm


def attachment(request, number, pk):
    try:
        case = find_by_code(
            request, Case.objects, code=(request.GET.get("c") or "").strip().upper(), number=number
        )
    except RateLimited as exc:
        context = {"form": LookupForm(), "error": exc.message, "pnav": "progress"}
        return render(request, "portal/lookup.html", context, status=429)
    except NotFound:
        return render(request, "portal/not_found.html", {}, status=404)
    upload = public_attachment(case, pk)
    if upload is None:
        return render(request, "portal/not_found.html", {}, status=404)
    return send_file(
        request,
        upload.file,
        filename=upload.original_name,
        content_type=upload.content_type,
        action="attachment.download",
        target=upload,
        summary=f"{case.number} {upload.original_name}",
        data={"case": case.number, "by": "applicant"},
    )

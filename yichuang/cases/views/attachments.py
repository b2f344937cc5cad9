"""An applicant's uploaded materials, for the staff who may see the case: found through the
case's scope (another department's upload is simply not found), sent as a download, and
every access written into the audit record."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from yichuang.core.files import send_file

from ..models import Attachment, Case


@login_required
def attachment(request, number, pk):
    upload = get_object_or_404(
        Attachment.objects.select_related("case").filter(
            case__in=Case.objects.visible_to(request.user)
        ),
        case__number=number,
        pk=pk,
    )
    return send_file(
        request,
        upload.file,
        filename=upload.original_name,
        content_type=upload.content_type,
        action="attachment.download",
        target=upload,
        summary=f"{upload.case.number} {upload.original_name}",
        data={"case": upload.case.number, "by": "staff"},
    )

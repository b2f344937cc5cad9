"""The inbox page (待我处理), every staff member's landing page: what waits for them, one
section per source (core/inbox.py), the next step of each item named on its row."""

from django.contrib.auth.decorators import login_required

from . import inbox
from .pages import render_page


@login_required
def inbox_page(request):
    sections = inbox.sections(request.user)
    return render_page(
        request,
        "core/inbox.html",
        {
            "nav": "inbox",
            "sections": sections,
            # The header's badge reads this instead of counting again (templatetags/inbox.py).
            "inbox_total": sum(s.count for s in sections),
        },
    )

"""QR codes (segno) for the printed sheets, case documents and the booking's check-in."""

from django.utils.translation import gettext as _


def qr_code(url: str):
    """The QR code of a link, medium error correction (survives a smudged printout)."""
    import segno

    return segno.make(url, error="m")


def qr_svg(url: str, *, title: str | None = None) -> str:
    """The QR code as inline SVG for a page; `title` is read by screen readers."""
    return qr_code(url).svg_inline(
        scale=3, border=2, title=_("扫码查看在线告知单") if title is None else title
    )

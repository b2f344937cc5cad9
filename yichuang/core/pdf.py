"""The shared building blocks of every PDF the hall prints: the vendored Chinese font
(embedded, so a document prints the same on a machine without Chinese fonts), the table
colours, escaped paragraphs and the QR code drawn as vector squares.

Only the modules that render a PDF import this one (and views import those inside the view
function), so reportlab is loaded by the first PDF, not by every worker at start-up."""

from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from .qr import qr_code

FONT = "WQY"
FONT_PATH = Path(__file__).parent / "fonts" / "wqy-microhei.ttc"
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f5")
MUTED = colors.HexColor("#5f6b7a")


def register_font() -> str:
    """Register the embedded font once per process and return its name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
        # The font has no bold face; <b> in a paragraph falls back to the same face.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def escape(text) -> str:
    """Plain text as paragraph mini-markup: escaped, the author's line breaks kept."""
    plain = "" if text is None else str(text)
    escaped = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br/>")


def paragraph(text, style) -> Paragraph:
    """A paragraph of plain text (never markup typed by a user)."""
    return Paragraph(escape(text), style)


class QRFlowable(Flowable):
    """The QR code drawn as vector squares: sharp at any printer resolution."""

    def __init__(self, url: str, size: float):
        super().__init__()
        self.rows = list(qr_code(url).matrix_iter(border=2))
        self.size = size
        self.width = self.height = size

    def draw(self):
        module = self.size / len(self.rows)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for y, row in enumerate(self.rows):
            for x, dark in enumerate(row):
                if dark:
                    top = self.size - (y + 1) * module
                    canvas.rect(x * module, top, module, module, stroke=0, fill=1)

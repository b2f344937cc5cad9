"""What an uploaded file really is.

A file's extension and its first bytes are both chosen by the sender: `%PDF` followed by a web
page, JPEG's `FF D8 FF` followed by a script, or `PK` followed by HTML all pass a check of the
leading bytes. So each kind is opened with the library made for its format and must parse as a
whole file of that kind:

- PDF: pypdf reads the cross-reference table and the page tree; at least one page.
- JPEG, PNG: Pillow identifies the format (it must be the one the extension names) and decodes
  the image data (JPEG at 1/8 scale, which still reads the whole entropy-coded stream).
- DOCX, XLSX: a ZIP whose `[Content_Types].xml` declares the main part of a Word document or
  an Excel workbook (not the macro-enabled variants), and that part is in the archive.
- DOC, XLS: an OLE2 compound file (olefile) holding a `WordDocument` or `Workbook` stream.

Only as a second line of defence, a file that parses but carries HTML or script markers near
its start or end is refused as well: no applicant's scan or form contains `<script`.

`real_content_type()` answers the content type or None; each caller words its own refusal."""

import logging
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

OOXML_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Byte patterns of a web page or script; compared against the lower-cased head and tail.
MARKUP_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head>",
    b"<body",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"javascript:",
)
SCAN_HEAD = 64 * 1024
SCAN_TAIL = 8 * 1024
# An archive's declared contents, bounded so a crafted ZIP cannot make the check expensive.
MAX_ZIP_MEMBERS = 5000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def real_content_type(upload, extension: str) -> str | None:
    """The content type of `upload` if its content is a whole, well-formed file of the kind
    `extension` names ("pdf", ".docx", …) and carries no web page or script; otherwise None.
    The file is left at position 0."""
    ext = extension.lower().lstrip(".")
    parser = PARSERS.get(ext)
    if parser is None:
        return None
    try:
        upload.seek(0)
        ok = parser(upload) and not carries_markup(upload)
    except Exception:  # every library raises its own errors on junk; junk is simply not ok
        ok = False
    finally:
        upload.seek(0)
    return CONTENT_TYPES[ext] if ok else None


def carries_markup(upload) -> bool:
    upload.seek(0)
    head = upload.read(SCAN_HEAD)
    size = upload.seek(0, 2)
    tail = b""
    if size > SCAN_HEAD:
        upload.seek(max(size - SCAN_TAIL, SCAN_HEAD))
        tail = upload.read(SCAN_TAIL)
    upload.seek(0)
    text = (head + b"\n" + tail).lower()
    return any(marker in text for marker in MARKUP_MARKERS)


def _is_pdf(upload) -> bool:
    from pypdf import PdfReader

    # pypdf reports repairs of damaged files on its logger; the verdict is what counts here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(upload, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return False  # needs a password: no one at the window could open it either
    return len(reader.pages) > 0


def _image(expected: str) -> Callable:
    def check(upload) -> bool:
        from PIL import Image

        with Image.open(upload) as image:
            if image.format != expected:
                return False
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if expected == "JPEG":
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
            image.load()
        return True

    return check


def _ooxml(main_type: str) -> Callable:
    def check(upload) -> bool:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return False
            names = {m.filename for m in members}
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return False
            root = ElementTree.fromstring(archive.read(info))
        for override in root.iter(f"{{{OOXML_CT}}}Override"):
            if override.get("ContentType") == main_type:
                return override.get("PartName", "").lstrip("/") in names
        return False

    return check


def _ole(*streams: str) -> Callable:
    def check(upload) -> bool:
        import olefile

        with olefile.OleFileIO(upload) as ole:  # raises on anything but an OLE2 file
            return any(ole.exists(s) for s in streams)

    return check


PARSERS: dict[str, Callable] = {
    "pdf": _is_pdf,
    "jpg": _image("JPEG"),
    "jpeg": _image("JPEG"),
    "png": _image("PNG"),
    "docx": _ooxml(WORD_MAIN),
    "xlsx": _ooxml(EXCEL_MAIN),
    "doc": _ole("WordDocument"),
    "xls": _ole("Workbook", "Book"),
}

"""An upload is what it parses as, not what its extension or first bytes claim."""

import io
import zipfile

import pytest

from yichuang.core.testing_files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, xlsx_bytes
from yichuang.core.uploads import real_content_type

PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def zip_of(**members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


REAL = {
    "pdf": pdf_bytes,
    "jpg": jpeg_bytes,
    "jpeg": jpeg_bytes,
    "png": png_bytes,
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
}


@pytest.mark.parametrize("ext", sorted(REAL))
def test_a_real_file_of_each_kind_is_recognised(ext):
    assert real_content_type(io.BytesIO(REAL[ext]()), ext) is not None


@pytest.mark.parametrize(
    "ext, content",
    [
        ("pdf", b"%PDF-1.7\n" + PAGE),  # the PDF signature, then a web page
        ("pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"),  # a signature and no page
        ("jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PAGE),  # JPEG magic, then a web page
        ("png", b"\x89PNG\r\n\x1a\n" + PAGE),
        ("docx", b"PK\x03\x04" + PAGE),  # a ZIP signature, then a web page
        ("docx", zip_of(**{"index.html": PAGE})),  # a real ZIP that is no Word document
        ("xlsx", zip_of(**{"[Content_Types].xml": b"<Types/>", "x.html": PAGE})),
        ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + PAGE),  # OLE2 magic, then a web page
        ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ],
)
def test_files_whose_first_bytes_lie_are_refused(ext, content):
    assert real_content_type(io.BytesIO(content), ext) is None


def test_a_real_file_carrying_a_script_is_refused():
    # Structurally a PDF and a PNG, but with a page appended: refused by the second check.
    assert real_content_type(io.BytesIO(pdf_bytes() + PAGE), "pdf") is None
    assert real_content_type(io.BytesIO(png_bytes() + PAGE), "png") is None


def test_a_file_of_another_kind_under_a_borrowed_extension_is_refused():
    assert real_content_type(io.BytesIO(docx_bytes()), "xlsx") is None
    assert real_content_type(io.BytesIO(xlsx_bytes()), "docx") is None
    assert real_content_type(io.BytesIO(png_bytes()), "jpg") is None
    assert real_content_type(io.BytesIO(pdf_bytes()), "exe") is None


def test_the_file_is_left_at_its_start():
    f = io.BytesIO(pdf_bytes())
    real_content_type(f, "pdf")
    assert f.tell() == 0

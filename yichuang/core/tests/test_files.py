"""Only what is public by design is served from /media/; private files move out of MEDIA_ROOT."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from yichuang.core.files import move_to_private, safe_filename
from yichuang.core.testing_files import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def test_staff_photos_are_public_as_images(hall, settings):
    hall.alice.photo.save("alice.png", ContentFile(png_bytes()))
    r = Client().get(hall.alice.photo.url)
    assert hall.alice.photo.url.startswith("/media/staff/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in r.get("Content-Disposition", "")
    assert hall.alice.photo.url in Client().get("/board/").content.decode()


def test_only_the_public_folders_of_media_are_served(settings):
    for name, content in {
        "staff/page.html": b"<html>",
        "catalog/samples/form.pdf": pdf_bytes(),
        "appraisal/reports/2025-11/yuebao-2025-11.pdf": pdf_bytes(),
        "cases/202511010001/1-0900.pdf": pdf_bytes(),
    }.items():
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    c = Client()
    sample = c.get("/media/catalog/samples/form.pdf")
    assert sample.status_code == 200 and sample["Content-Disposition"].startswith("attachment;")
    assert c.get("/media/staff/page.html").status_code == 404  # not an image type
    assert c.get("/media/appraisal/reports/2025-11/yuebao-2025-11.pdf").status_code == 404
    assert c.get("/media/cases/202511010001/1-0900.pdf").status_code == 404
    assert c.get("/media/staff/../cases/202511010001/1-0900.pdf").status_code == 404
    assert c.get("/media/staff/").status_code == 404


def test_files_kept_in_media_before_move_to_the_private_root(hall, settings):
    from yichuang.cases.models import Attachment
    from yichuang.cases.services import create_case
    from yichuang.cases.tests.factories import make_service

    case = create_case(
        service=make_service(hall),
        channel="window",
        applicant={"name": "王五"},
        materials=[],
        by=hall.alice,
    )
    name = f"cases/{case.number}/1-legacy.pdf"
    Attachment.objects.create(
        case=case, material_id=1, file=name, original_name="a.pdf", content_type="x", size=3
    )
    legacy = settings.MEDIA_ROOT / name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(b"old")
    move_to_private(Attachment, "file")
    move_to_private(Attachment, "file")  # idempotent
    assert not legacy.exists()
    assert (settings.PRIVATE_MEDIA_ROOT / name).read_bytes() == b"old"


@pytest.mark.parametrize(
    "given, sent",
    [
        ("学生证 正面.jpg", "学生证_正面.jpg"),
        ("../../etc/passwd", "passwd"),
        ('a"; filename=evil.html', "a_filenameevil.html"),
        ("..", "file"),
        ("", "file"),
    ],
)
def test_download_names_are_safe(given, sent):
    assert safe_filename(given) == sent

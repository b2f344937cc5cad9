"""Uploads on the public site: only real files are kept, a request and a case carry a bounded
number of files, and an applicant downloads her own uploads with her query code only."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yichuang.cases import services as cases
from yichuang.cases.models import Attachment, Case
from yichuang.cases.tests.factories import make_service
from yichuang.core.models import AuditEvent
from yichuang.core.testing_files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def service(hall):
    return make_service(hall, code="cjzm", name="成绩证明", online=True)


def form_data(**files):
    return {
        "name": "李小明",
        "id_number": "110101199003071233",
        "phone": "13812345678",
        "email": "",
        **files,
    }


def upload(name, content):
    return SimpleUploadedFile(name, content)


def kept_files(settings):
    roots = [settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "name, content",
    [
        ("成绩单.pdf", b"%PDF-1.7\n" + PAGE),
        ("学生证.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PAGE),
        ("申请表.docx", b"PK\x03\x04" + PAGE),
    ],
)
def test_an_online_application_refuses_files_whose_first_bytes_lie(
    hall, service, settings, name, content
):
    card = service.materials.get(name="学生证")
    r = Client().post(
        f"/services/{service.code}/apply/", form_data(**{f"m{card.pk}": upload(name, content)})
    )
    assert r.status_code == 200 and "内容与扩展名不符" in r.content.decode()
    assert name in r.content.decode()
    assert not Case.objects.exists() and not kept_files(settings)


def test_real_files_of_each_kind_are_accepted(hall, service, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload streamed to a temporary file
    card, form = service.materials.get(name="学生证"), service.materials.get(name="申请表")
    files = {
        f"m{card.pk}": [upload("正面.jpg", jpeg_bytes()), upload("背面.png", png_bytes())],
        f"m{form.pk}": [upload("申请表.pdf", pdf_bytes()), upload("申请表.docx", docx_bytes())],
    }
    r = Client().post(f"/services/{service.code}/apply/", form_data(**files))
    assert r.status_code == 302
    kinds = set(Attachment.objects.values_list("content_type", flat=True))
    assert kinds == {
        "image/jpeg",
        "image/png",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }


def test_a_supplement_refuses_a_lying_file(hall, service, settings):
    case = applied(service)
    form = service.materials.get(name="申请表")
    cases.request_supplement(case, missing=[form.pk], note="请上传申请表", by=hall.alice)
    r = Client().post(
        f"/progress/{case.number}/?c={case.query_code}",
        {f"m{form.pk}": upload("申请表.pdf", b"%PDF-1.4\n" + PAGE)},
        follow=True,
    )
    assert "内容与扩展名不符" in r.content.decode()
    assert Attachment.objects.filter(case=case).count() == 1


def test_one_request_may_carry_only_so_many_files(hall, service, settings):
    # The default: Django's own parser stops at the 11th file (DATA_UPLOAD_MAX_NUMBER_FILES).
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == settings.UPLOAD_MAX_FILES_PER_REQUEST == 10
    card = service.materials.get(name="学生证")
    files = [upload(f"{i}.png", png_bytes()) for i in range(11)]
    r = Client().post(f"/services/{service.code}/apply/", form_data(**{f"m{card.pk}": files}))
    assert r.status_code == 400
    assert "一次最多上传 10 个文件" in r.content.decode()
    assert not Case.objects.exists() and not kept_files(settings)


def test_a_request_announcing_100_files_of_10_mb_is_refused_unread(hall, service, settings):
    card = service.materials.get(name="学生证")
    # The body says what it is; its length (1000 MB) is refused before a byte of it is read.
    r = Client().post(
        f"/services/{service.code}/apply/",
        form_data(**{f"m{card.pk}": upload("a.png", png_bytes())}),
        CONTENT_LENGTH=str(100 * 10 * MB),
    )
    assert r.status_code == 400
    assert "合计不能超过 50 MB" in r.content.decode()
    assert not Case.objects.exists() and not kept_files(settings)


def test_an_oversized_request_is_refused_with_the_api_error_body(hall, settings):
    settings.UPLOAD_MAX_REQUEST_MB = 1
    r = Client().post(
        "/api/v1/cases", {"file": upload("big.pdf", b"0" * (2 * MB))}, HTTP_ACCEPT="*/*"
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "upload_too_large"
    assert "1 MB" in r.json()["error"]["message"]


def test_a_case_holds_at_most_so_many_files(hall, service, settings):
    settings.UPLOAD_MAX_FILES_PER_CASE = 3
    card, form = service.materials.get(name="学生证"), service.materials.get(name="申请表")
    too_many = [upload(f"{i}.png", png_bytes()) for i in range(4)]
    r = Client().post(f"/services/{service.code}/apply/", form_data(**{f"m{card.pk}": too_many}))
    assert "最多上传 3 个文件" in r.content.decode() and not Case.objects.exists()
    case = applied(service, count=2)
    cases.request_supplement(case, missing=[form.pk], note="请上传申请表", by=hall.alice)
    r = Client().post(
        f"/progress/{case.number}/?c={case.query_code}",
        {f"m{form.pk}": [upload("a.png", png_bytes()), upload("b.png", png_bytes())]},
        follow=True,
    )
    assert "最多上传 3 个文件" in r.content.decode()
    assert Attachment.objects.filter(case=case).count() == 2
    assert len(kept_files(settings)) == 2  # the refused supplement left nothing on disk


def applied(service, count=1) -> Case:
    card = service.materials.get(name="学生证")
    return cases.apply_online(
        service=service,
        applicant={"name": "李小明", "phone": "13812345678"},
        uploads={card.pk: [upload(f"学生证{i}.png", png_bytes()) for i in range(count)]},
    )


def test_the_applicant_downloads_her_upload_with_her_query_code(hall, service):
    case = applied(service)
    a = case.attachments.get()
    page = Client().get(f"/progress/{case.number}/?c={case.query_code}").content.decode()
    link = f"/progress/{case.number}/uploads/{a.pk}/?c={case.query_code}"
    assert "我提交的材料" in page and link in page and "学生证0.png" in page
    r = Client().get(link)
    assert r.status_code == 200 and r.getvalue() == png_bytes()
    assert r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="attachment.download")
    assert event.actor is None and event.target_id == str(a.pk)
    assert event.data["by"] == "applicant"


def test_a_wrong_query_code_or_another_case_finds_no_upload(hall, service):
    mine, theirs = applied(service), applied(service)
    a = mine.attachments.get()
    c = Client()
    assert c.get(f"/progress/{mine.number}/uploads/{a.pk}/?c=WRONG1").status_code == 404
    assert c.get(f"/progress/{mine.number}/uploads/{a.pk}/").status_code == 404
    # Her own code for another case's upload, and the other case's code for hers.
    assert c.get(f"/progress/{theirs.number}/uploads/{a.pk}/?c={mine.query_code}").status_code == (
        404
    )
    assert c.get(f"/progress/{mine.number}/uploads/{a.pk}/?c={theirs.query_code}").status_code == (
        404
    )
    assert not AuditEvent.objects.filter(action="attachment.download").exists()


def test_guessing_codes_for_an_upload_gets_429(hall, service, settings):
    settings.LOOKUP_FAILURE_RATE = "3/m"
    case = applied(service)
    a = case.attachments.get()
    c = Client()
    for _ in range(3):
        assert c.get(f"/progress/{case.number}/uploads/{a.pk}/?c=WRONG1").status_code == 404
    assert c.get(f"/progress/{case.number}/uploads/{a.pk}/?c={case.query_code}").status_code == 429

"""An applicant's uploaded materials leave only through the case's scope: kept outside any
public folder, downloaded as attachments, every access in the audit record."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches

from yichuang.cases import services
from yichuang.core.models import AuditEvent
from yichuang.core.testing_files import pdf_bytes

from .factories import make_service

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


@pytest.fixture
def case(hall):
    service = make_service(hall)
    form = service.materials.get(name="申请表")
    return services.apply_online(
        service=service,
        applicant={"name": "李小明", "phone": "13812345678"},
        uploads={form.pk: [SimpleUploadedFile('申请表"; x=1/..\\.pdf', PDF)]},
    )


@pytest.fixture
def debug_urls(settings):
    """The URLs as `make run` builds them: DEBUG on (it used to serve all of MEDIA_ROOT)."""
    import yichuang.urls

    settings.DEBUG = True
    importlib.reload(yichuang.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(yichuang.urls)
    clear_url_caches()


def url(case, attachment):
    return f"/cases/{case.number}/attachments/{attachment.pk}/"


def test_uploads_are_kept_outside_any_public_folder(case, settings):
    a = case.attachments.get()
    assert (settings.PRIVATE_MEDIA_ROOT / a.file.name).is_file()
    assert not (settings.MEDIA_ROOT / a.file.name).exists()
    with pytest.raises(ValueError):
        a.file.url  # noqa: B018 — a private file has no URL to leak into a page


def test_anonymous_media_paths_find_nothing_even_with_debug_on(case, settings, debug_urls):
    a = case.attachments.get()
    assert Client().get(f"/media/{a.file.name}").status_code == 404
    # Even a file that strayed into MEDIA_ROOT (kept there before this release) stays hidden.
    stray = settings.MEDIA_ROOT / a.file.name
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(PDF)
    assert Client().get(f"/media/{a.file.name}").status_code == 404


def test_the_holder_downloads_an_upload_as_an_attachment(hall, case, client_for):
    a = case.attachments.get()
    r = client_for(hall.alice).get(url(case, a))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "/" not in disposition and "\\" not in disposition and '"; x=1' not in disposition
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in r["Cache-Control"]


def test_every_download_is_in_the_audit_record(hall, case, client_for):
    a = case.attachments.get()
    client_for(hall.alice).get(url(case, a))
    client_for(hall.olga).get(url(case, a))
    events = AuditEvent.objects.filter(action="attachment.download").order_by("id")
    assert [e.actor for e in events] == [hall.alice, hall.olga]
    assert all(e.target_id == str(a.pk) and e.data["case"] == case.number for e in events)


def test_the_case_page_lists_the_uploads_with_download_links(hall, case, client_for):
    a = case.attachments.get()
    html = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    assert "网上提交的材料" in html and url(case, a) in html


def test_it_validates_ownership(hall, case, client_for):
    a = case.attachments.get()
    # Another department's clerk: the upload is simply not found, and nothing is recorded.
    assert client_for(hall.dave).get(url(case, a)).status_code == 404
    # The right upload under another case's number is not found either.
    other = services.create_case(
        service=case.service,
        channel="window",
        applicant={"name": "王五"},
        materials=[],
        by=hall.alice,
    )
    assert client_for(hall.alice).get(f"/cases/{other.number}/attachments/{a.pk}/").status_code == (
        404
    )
    assert not AuditEvent.objects.filter(action="attachment.download").exists()
    # Anonymous: to the login page.
    r = Client().get(url(case, a))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yichuang.cases import services as cases
from yichuang.cases.models import Attachment, Case, Status
from yichuang.cases.tests.factories import make_service
from yichuang.core.testing_files import png_bytes
from yichuang.portal import services

pytestmark = pytest.mark.django_db
PNG = png_bytes()


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def service(hall):
    return make_service(hall, code="cjzm", name="成绩证明", online=True)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def apply(service, files):
    data = {
        "name": "李小明",
        "id_number": "110101199003071233",
        "phone": "13812345678",
        "email": "",
    }
    data.update(files)
    return Client().post(f"/services/{service.code}/apply/", data)


def test_home_search_and_item_are_public(hall, service):
    c = Client()
    assert "成绩证明" in c.get("/").content.decode()
    assert "成绩证明" in c.get("/services/?q=cjzm").content.decode()
    fragment = c.get("/services/?q=成绩", headers={"HX-Request": "true"}).content.decode()
    assert "成绩证明" in fragment and "<html" not in fragment
    html = c.get("/services/cjzm/").content.decode()
    assert "一次性告知单" in html and "学生证" in html and "网上申报" in html
    assert c.get("/services/nope/").status_code == 404


def test_the_public_navigation_links_every_public_part_of_the_hall(hall):
    """Every app is installed: the navigation names each public part, none is left out
    because its address was mistyped (the stars link once hid behind a NoReverseMatch)."""
    html = Client().get("/").content.decode()
    for path in [
        "/queue/book/",
        "/inquiries/ask/",
        "/inquiries/faq/",
        "/feedback/complain/",
        "/feedback/announcements/",
        "/campaigns/stars/",
        "/appraisal/public/",
    ]:
        assert f'href="{path}"' in html, path


def test_pages_stay_small_for_slow_phones(hall, service):
    for path in ["/", "/services/", "/services/cjzm/", "/board/", "/map/", "/progress/"]:
        assert len(Client().get(path).content) < 200 * 1024, path


def test_online_application_with_uploads(hall, service):
    card, form = service.materials.get(name="学生证"), service.materials.get(name="申请表")
    r = apply(
        service,
        {f"m{card.pk}": [png("card-front.png"), png("card-back.png")], f"m{form.pk}": png()},
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.channel == "online" and case.status == Status.SUBMITTED
    assert r["Location"] == f"/progress/{case.number}/?c={case.query_code}&new=1"
    assert Attachment.objects.filter(case=case).count() == 3
    html = Client().get(r["Location"]).content.decode()
    assert case.number in html and case.query_code in html


def test_a_bad_upload_keeps_nothing(hall, service, settings):
    card, form = service.materials.get(name="学生证"), service.materials.get(name="申请表")
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00not an image", content_type="image/png")
    r = apply(service, {f"m{card.pk}": png(), f"m{form.pk}": fake})
    assert r.status_code == 200 and "内容与扩展名不符" in r.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    r = apply(
        service,
        {
            f"m{card.pk}": SimpleUploadedFile(
                "a.exe", b"MZ", content_type="application/x-msdownload"
            )
        },
    )
    assert "格式不支持" in r.content.decode()
    assert Case.objects.count() == 0


def test_not_online_service_cannot_be_applied_for(hall):
    offline = make_service(hall, code="xjyd", name="学籍异动", online=False)
    assert Client().get(f"/services/{offline.code}/apply/").status_code == 409


def test_progress_needs_the_code_and_guessing_gets_429(hall, service, settings):
    settings.LOOKUP_FAILURE_RATE = "3/m"
    case = cases.create_case(
        service=service,
        channel="online",
        applicant={"name": "李小明", "phone": "13812345678"},
        materials=[],
    )
    c = Client()
    assert c.get(f"/progress/{case.number}/").status_code == 200  # asks for the code
    for _ in range(3):
        assert c.get(f"/progress/{case.number}/?c=WRONG").status_code == 404
    r = c.get(f"/progress/{case.number}/?c={case.query_code}")
    assert r.status_code == 429 and "再试" in r.content.decode()
    cache.clear()
    html = c.get(f"/progress/{case.number}/?c={case.query_code}").content.decode()
    assert "成绩证明" in html and "李*明" in html and "13812345678" not in html


def test_supplement_online_after_the_one_time_list(hall, service):
    card, form = service.materials.get(name="学生证"), service.materials.get(name="申请表")
    r = apply(service, {f"m{card.pk}": png()})
    case = Case.objects.get()
    cases.request_supplement(case, missing=[form.pk], note="请上传申请表", by=hall.alice)
    page = Client().get(f"/progress/{case.number}/?c={case.query_code}").content.decode()
    assert "请补交以下材料" in page and "申请表" in page
    r = Client().post(
        f"/progress/{case.number}/?c={case.query_code}", {f"m{form.pk}": png("form.png")}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert Attachment.objects.filter(case=case, material_id=form.pk).exists()


def test_documents_download_with_the_code_only(hall, service):
    case = cases.create_case(
        service=service,
        channel="window",
        applicant={"name": "李小明"},
        materials=[m.pk for m in service.materials.filter(required=True)],
        by=hall.alice,
    )
    cases.accept_case(case, by=hall.alice)
    doc = case.documents.get()
    ok = Client().get(f"/progress/{case.number}/documents/{doc.pk}.pdf?c={case.query_code}")
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
    assert Client().get(f"/progress/{case.number}/documents/{doc.pk}.pdf?c=NOPE").status_code == 404


def test_progress_page_shows_the_extension_notice_and_who_handles_now(hall, service):
    """§42 and 转办: the applicant sees the new deadline, the 延期办理告知书 to download and the
    department and post now handling the case (never a staff member's name)."""
    from yichuang.org.models import Post

    aid = Post.objects.create(code="jwc-exam", name="考试岗", department=hall.jwc, holder=hall.bob)
    case = cases.create_case(
        service=service,
        channel="window",
        applicant={"name": "李小明"},
        materials=[m.pk for m in service.materials.filter(required=True)],
        by=hall.alice,
    )
    cases.accept_case(case, by=hall.alice)
    cases.extend_case(case, days=3, reason="需征求学院意见", by=hall.carol)
    cases.transfer_case(case, post=aid, reason="属于考试业务", by=hall.alice)
    doc = case.documents.get(kind="extension")
    html = Client().get(f"/progress/{case.number}/?c={case.query_code}").content.decode()
    assert "延期办理告知书" in html and doc.number in html
    assert f"/progress/{case.number}/documents/{doc.pk}.pdf?c={case.query_code}" in html
    assert f"办结期限 {case.deadline.isoformat()}" in html
    assert "现由教务处 · 考试岗办理" in html and hall.bob.full_name not in html
    pdf = Client().get(f"/progress/{case.number}/documents/{doc.pk}.pdf?c={case.query_code}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_acceptance_qr_leads_to_the_portal_progress_page(hall, service, client_for):
    case = cases.create_case(
        service=service,
        channel="window",
        applicant={"name": "李小明"},
        materials=[m.pk for m in service.materials.filter(required=True)],
        by=hall.alice,
    )
    cases.accept_case(case, by=hall.alice)
    doc = case.documents.get()
    html = client_for(hall.alice).get(f"/cases/{case.number}/documents/{doc.pk}/").content.decode()
    assert f"/progress/{case.number}/?c={case.query_code}" in html


def test_board_shows_who_covers_and_the_map_lists_services(hall, service):
    from yichuang.org.services import set_presence

    set_presence(hall.alice, status="leave", by=hall.alice)
    html = Client().get("/board/").content.decode()
    assert "学籍管理岗" in html and "王晓燕" in html and "请假" in html and "刘洋" in html
    html = Client().get("/map/").content.decode()
    assert "教务处" in html and "成绩证明" in html


def test_notices_kept_by_the_hall_office(hall):
    from yichuang.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.publish_notice(title="x", body="y", by=hall.alice)
    n = services.publish_notice(
        title="国庆假期窗口安排", body="10 月 1 日至 8 日休息。", by=hall.olga
    )
    assert "国庆假期窗口安排" in Client().get("/notices/").content.decode()
    assert "国庆假期窗口安排" in Client().get("/screen/").content.decode()
    services.withdraw_notice(n, by=hall.olga)
    assert "国庆假期窗口安排" not in Client().get("/notices/").content.decode()
    assert Client().get(f"/notices/{n.pk}/").status_code == 404


def test_hall_screen_shows_duty_and_figures_and_refreshes_itself(hall, service):
    html = Client().get("/screen/").content.decode()
    assert "今日受理" in html and "学籍管理岗" in html and "王晓燕" in html
    assert re.search(r'hx-trigger="every \d+s"', html)
    fragment = Client().get("/screen/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "今日办结" in fragment


def test_an_applicant_chooses_the_hall_nearest_first_or_by_name(hall):
    from yichuang.appointments.tests.factories import make_group
    from yichuang.org.models import Hall
    from yichuang.org.testing import make_second_hall

    east = make_second_hall(hall)
    default = Hall.objects.default()
    default.latitude, default.longitude = "23.000000", "113.300000"
    default.save()
    main_group = make_group(hall)
    east_group = make_group(hall, code="dq", name="东区教务", prefix="E", windows=[east.window])
    east_group.hall = east.hall
    east_group.save(update_fields=["hall"])
    c = Client()
    near = c.get("/halls/?lat=23.10&lon=113.41").content.decode()
    assert near.index("东校区服务大厅") < near.index(default.name) and "公里" in near
    by_name = c.get("/halls/?lat=junk").content.decode()
    assert "按名称排列" in by_name
    # Before a choice, every hall's groups; after, the chosen hall's only.
    assert "东区教务" in c.get("/queue/book/").content.decode()
    chosen = c.post("/halls/", {"hall": "east", "next": "/queue/book/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/queue/book/"
    page = c.get("/queue/book/").content.decode()
    assert "东区教务" in page and main_group.name not in page
    assert "当前大厅" in page
    board = c.get("/board/").content.decode()
    assert "东区教务" in board and "学籍成绩" not in board
    # A kiosk's link names its hall; an off-site `next` goes home; an unknown hall is a 404.
    assert main_group.name in c.get("/queue/take/?hall=main").content.decode()
    assert c.post("/halls/", {"hall": "main", "next": "https://evil.example/"})["Location"] == "/"
    assert c.post("/halls/", {"hall": "nowhere"}).status_code == 404


def test_a_one_hall_deployment_offers_no_hall_choice(hall):
    c = Client()
    for url in ("/", "/board/", "/queue/book/", "/queue/take/"):
        assert "选择办事大厅" not in c.get(url).content.decode()

"""Issue 15: the applicant's side is one portal. Every public page wears the portal's frame
(the tab bar, the menu, the logo leading to the portal's home) and never the staff frame;
every thank-you page is the one confirmation (number, query code, copy, what happens next,
what the SMS did); public forms show field errors in the one inline style."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yichuang.appointments.tests.factories import at as queue_at
from yichuang.appointments.tests.factories import make_group
from yichuang.campaigns.tests.factories import at as campaign_at
from yichuang.campaigns.tests.factories import nominated, with_voters
from yichuang.catalog.tests.factories import make_service
from yichuang.core.testing_files import png_bytes
from yichuang.feedback import services as feedback
from yichuang.feedback.tests.factories import completed_case
from yichuang.inquiries import services as inquiries
from yichuang.portal import services as portal
from yichuang.portal.context import LINKS

pytestmark = pytest.mark.django_db

SURVEY = """
[单选] 您对大厅环境是否满意？ | 满意 | 一般 | 不满意
[评分] 工作人员的服务态度
"""


@pytest.fixture
def public(hall):
    """Demo-like public data: an online item in a bookable queue group, its completed case,
    a notice, an announcement, an open survey, an answered inquiry and a complaint."""
    service = make_service(hall, by=hall.olga)  # 成绩证明 (transcript), with phones
    make_group(hall, services=[service])
    case = completed_case(hall, service)
    notice = portal.publish_notice(title="五一假期办公安排", body="5月1日至5日休息。", by=hall.olga)
    announcement = feedback.publish_announcement(
        feedback.draft_announcement(
            title="关于窗口服务投诉的处理通报", body="已整改。", by=hall.olga
        ),
        by=hall.olga,
    )
    survey = feedback.create_survey(title="满意度调查", questions=SURVEY, by=hall.olga)
    inquiry = inquiries.ask_online(
        asker={"name": "李小明", "phone": "13812345678", "email": ""},
        matter="成绩证明怎么开？",
        department=hall.jwc,
    )
    complaint = feedback.receive_complaint(
        channel="portal", name="张三", phone="13900001111", subject="排队太久", content="等了一小时"
    )
    return {
        "service": service,
        "case": case,
        "notice": notice,
        "announcement": announcement,
        "survey": survey,
        "inquiry": inquiry,
        "complaint": complaint,
    }


def applicant_pages(p) -> list[str]:
    case, inquiry, complaint = p["case"], p["inquiry"], p["complaint"]
    return [
        "/",
        "/services/",
        "/services/transcript/",
        "/services/transcript/apply/",
        "/catalog/transcript/sheet/",
        "/catalog/transcript/v1/sheet/",
        "/bundles/",
        "/progress/",
        f"/progress/{case.number}/?c={case.query_code}",
        "/my/",
        "/board/",
        "/map/",
        "/commitments/",
        "/notices/",
        f"/notices/{p['notice'].pk}/",
        f"/feedback/rate/{case.number}/",
        f"/feedback/rate/{case.number}/?c={case.query_code}",
        "/feedback/complain/",
        "/feedback/complain/status/",
        f"/feedback/complain/status/?number={complaint.number}&code={complaint.query_code}",
        "/feedback/announcements/",
        f"/feedback/announcements/{p['announcement'].pk}/",
        f"/feedback/s/{p['survey'].token}/",
        "/inquiries/faq/",
        "/inquiries/ask/",
        "/inquiries/ask/?service=transcript",
        "/inquiries/lookup/",
        f"/inquiries/lookup/?number={inquiry.number}&code={inquiry.query_code}",
        "/campaigns/vote/",
        "/campaigns/stars/",
        "/queue/book/",
        "/queue/book/?group=xj",
        "/queue/booking/",
        "/queue/take/",
        "/appraisal/public/",
        "/no-such-page/",
    ]


def assert_portal_frame(html: str, path: str) -> None:
    assert 'data-frame="portal"' in html, path
    assert '<nav class="tabbar' in html, path  # the phone's 首页 / 办事 / 进度 / 我的
    assert 'class="pub-menu"' in html, path  # the rest of the menu, one tap away
    assert '<a class="brand" href="/"' in html, path  # the logo leads to the portal's home
    assert 'class="topbar"' not in html and 'class="mainnav"' not in html, path  # staff frame
    assert html.count(">一窗<") == 1, path  # the mark once, not beside "一窗 · …" again


def test_every_applicant_page_wears_the_portal_frame(hall, public, settings):
    settings.DEBUG = False  # the friendly 404, not Django's technical page
    client = Client()
    for path in applicant_pages(public):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert_portal_frame(response.content.decode(), path)


def test_the_walk_covers_every_link_of_the_portal_menu(hall, public):
    walked = {p.split("?")[0] for p in applicant_pages(public)}
    for _key, name, _label, _hint in LINKS:
        assert reverse(name) in walked, name


def test_the_tab_bar_marks_where_the_applicant_is(hall, public):
    def current(path):
        html = Client().get(path).content.decode()
        bar = html.split('<nav class="tabbar', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'aria-current="page"><span[^>]*></span>([^<]+)</a>', bar)

    assert current("/") == ["首页"]
    assert current("/services/transcript/") == ["办事"]
    assert current("/progress/") == ["进度"]
    assert current("/my/") == ["我的"]
    assert current("/inquiries/lookup/") == ["我的"]
    assert current("/feedback/complain/") == []


def test_the_kept_menu_follows_the_page_the_language_and_the_links(hall, public):
    """The menu is rendered once per variant and kept (portal/frame.py): each page still
    marks its own section, in the visitor's language, with every link."""
    from django.template.loader import get_template

    def marked(path, **headers):
        html = Client(**headers).get(path).content.decode()
        bar = html.split('<nav class="pub-nav"', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'aria-current="page">([^<]+)</a>', bar), bar.count("<a ")

    get_template("500.html").render()  # no request: a menu without the processor's links
    links = 5 + len(LINKS)
    assert marked("/services/") == (["办事指南"], links)
    assert marked("/progress/") == (["进度查询"], links)
    assert marked("/feedback/complain/") == (["投诉建议"], links)
    assert marked("/progress/", HTTP_ACCEPT_LANGUAGE="en") == (["Check progress"], links)
    assert marked("/progress/") == (["进度查询"], links)


def test_a_signed_in_clerk_on_a_public_page_is_offered_the_workbench(hall, public, client_for):
    html = client_for(hall.alice).get("/feedback/complain/").content.decode()
    assert_portal_frame(html, "/feedback/complain/")
    assert 'href="/staff/"' in html or "返回工作台" in html
    assert "工作人员登录" not in html
    assert "工作人员登录" in Client().get("/feedback/complain/").content.decode()


def test_the_server_error_page_is_in_the_portal_frame_without_a_request():
    from django.template.loader import get_template

    html = get_template("500.html").render()  # as django.views.defaults.server_error does
    assert 'data-frame="portal"' in html and "系统暂时出错" in html
    assert 'href="/"' in html and "csrfmiddlewaretoken" not in html


def test_no_published_stars_is_a_friendly_page_not_a_404(hall):
    response = Client().get("/campaigns/stars/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "暂无已公布的服务之星" in html
    assert_portal_frame(html, "/campaigns/stars/")


# --- the one confirmation -------------------------------------------------------------


def assert_confirmation(html: str, number: str, code: str | None, sms: str | None) -> None:
    assert "data-confirmation" in html
    assert "data-confirm-number>" + number in html
    if code:
        assert "data-confirm-code>" + code in html
        copy = re.search(r'data-copy="([^"]*)"', html)
        assert copy and number in copy.group(1) and code in copy.group(1)
    assert "接下来" in html  # what happens next
    if sms:
        assert f'data-sms="{sms}"' in html
    assert '<a class="button" href="/">返回首页</a>' in html
    assert_portal_frame(html, "confirmation")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_complaint_is_confirmed_with_its_number_code_and_sms(hall):
    # Committed for real: the immediate task backend sends before the page is rendered.
    r = Client().post(
        "/feedback/complain/",
        {
            "kind": "complaint",
            "name": "张三",
            "phone": "13900001111",
            "subject": "排队太久",
            "content": "等了一小时",
        },
    )
    assert r.status_code == 201
    from yichuang.feedback.models import Complaint

    complaint = Complaint.objects.get()
    html = r.content.decode()
    assert_confirmation(html, complaint.number, complaint.query_code, "sent")
    assert "139****1111" in html and "13900001111" not in html
    assert f"/feedback/complain/status/?number={complaint.number}&amp;code=" in html


def test_an_sms_not_yet_sent_is_not_claimed(hall):
    """Without the commit (a worker backend sends later), the page says it is on its way."""
    r = Client().post(
        "/feedback/complain/",
        {
            "kind": "suggestion",
            "name": "张三",
            "phone": "13900001111",
            "subject": "建议",
            "content": "多设座椅",
        },
    )
    assert 'data-sms="queued"' in r.content.decode()


def test_an_online_inquiry_is_confirmed(hall, django_capture_on_commit_callbacks):
    data = {"name": "李小明", "email": "li@example.com", "department": hall.jwc.pk, "matter": "?"}
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post("/inquiries/ask/", data)
    assert r.status_code == 201
    from yichuang.inquiries.models import Inquiry

    inquiry = Inquiry.objects.get()
    html = r.content.decode()
    assert_confirmation(html, inquiry.number, inquiry.query_code, "none")  # no phone given
    assert "咨询编号" in html and "/inquiries/lookup/?number=" in html


def test_a_rating_is_confirmed_with_the_way_back_to_the_case(hall, public):
    case = public["case"]
    r = Client().post(f"/feedback/rate/{case.number}/", {"c": case.query_code, "level": "5"})
    assert r.status_code == 201
    html = r.content.decode()
    assert_confirmation(html, case.number, case.query_code, None)
    assert f"/progress/{case.number}/?c={case.query_code}" in html


def test_an_online_application_is_confirmed_on_its_progress_page(hall):
    from yichuang.cases.tests.factories import VALID_ID

    service = make_service(hall, by=hall.olga)
    m = service.materials.get(name="学生证或校园卡")
    data = {
        "name": "李小明",
        "id_number": VALID_ID,
        "phone": "13812345678",
        f"m{m.pk}": SimpleUploadedFile("card.png", png_bytes(), content_type="image/png"),
    }
    r = Client().post("/services/transcript/apply/", data)
    assert r.status_code == 302 and r["Location"].endswith("&new=1")
    from yichuang.cases.models import Case

    case = Case.objects.get()
    html = Client().get(r["Location"]).content.decode()
    assert_confirmation(html, case.number, case.query_code, "later")
    assert "138****5678" in html


def test_a_booking_is_confirmed(hall, django_capture_on_commit_callbacks):
    make_group(hall)
    with queue_at(2026, 2, 27, 15):
        with django_capture_on_commit_callbacks(execute=True):
            r = Client().post(
                "/queue/book/?group=xj&day=2026-03-02",
                {"start": "10:00", "name": "李小明", "phone": "13812345678"},
            )
        html = Client().get(r["Location"]).content.decode()
    from yichuang.appointments.models import Appointment

    a = Appointment.objects.get()
    assert_confirmation(html, a.number, a.query_code, "sent")
    assert "预约号" in html


def test_a_survey_and_a_ballot_are_confirmed(hall):
    survey = feedback.create_survey(title="满意度调查", questions=SURVEY, by=hall.olga)
    q1, q2 = survey.questions.order_by("position")
    r = Client().post(
        f"/feedback/s/{survey.token}/",
        {f"q{q1.pk}": str(q1.choices.first().pk), f"q{q2.pk}": "5", "phone": "13800000001"},
    )
    assert r.status_code == 201
    html = r.content.decode()
    assert "data-confirmation" in html and "接下来" in html
    assert_portal_frame(html, "survey done")

    election, a, _d = nominated(hall)
    code = with_voters(hall, election)[0]
    with campaign_at(2025, 7, 6):
        r = Client().post("/campaigns/vote/", {"code": code, "candidate": [a.pk], "cast": "1"})
    html = r.content.decode()
    assert "data-confirmation" in html and "您的选票已投出" in html
    assert_portal_frame(html, "ballot done")
    assert 'href="/campaigns/stars/"' in html


def test_a_staff_ballot_keeps_the_staff_frame(hall, client_for):
    election, a, _d = nominated(hall)
    with_voters(hall, election)
    with campaign_at(2025, 7, 6):
        html = client_for(hall.carol).get(f"/campaigns/elections/{election.pk}/ballot/")
    assert 'class="topbar"' in html.content.decode()


# --- one inline field-error style -----------------------------------------------------

FIELD_ERROR = re.compile(r'<span class="field-error" role="alert">([^<]+)</span>')


@pytest.mark.parametrize(
    "path, data",
    [
        ("/feedback/complain/", {"kind": "complaint", "name": "", "phone": ""}),
        ("/inquiries/ask/", {"name": "", "phone": "13812345678", "matter": ""}),
        ("/services/transcript/apply/", {"name": "", "id_number": "", "phone": ""}),
        ("/queue/book/?group=xj&day=2026-03-02", {"name": "", "phone": ""}),
    ],
)
def test_public_forms_show_field_errors_in_the_one_style(hall, path, data):
    make_service(hall, by=hall.olga)
    make_group(hall)
    with queue_at(2026, 2, 27, 15):
        html = Client().post(path, data).content.decode()
    errors = FIELD_ERROR.findall(html)
    assert errors, path
    assert 'class="msg error small"' not in html and 'class="errorlist' not in html
    assert 'aria-invalid="true"' in html or "has-error" in html


def test_a_wrong_code_is_a_field_error_too(hall, public):
    case = public["case"]
    html = Client().get(f"/feedback/rate/{case.number}/?c=WRONG").content.decode()
    assert FIELD_ERROR.search(html)
    html = Client().post("/campaigns/vote/", {"code": "WRONG-CODE-0000"}).content.decode()
    assert FIELD_ERROR.search(html)


def test_the_item_page_is_a_checklist_with_calls_and_next_steps(hall, public):
    html = Client().get("/services/transcript/").content.decode()
    assert 'class="material-list"' in html and 'class="materials"' in html  # phone + print
    assert '<a href="tel:057187206101">0571-8720 6101</a>' in html
    assert '<a href="tel:057187206000">0571-8720 6000</a>' in html
    assert "温馨提示" in html and "一次性告知" in html.split("温馨提示", 1)[1]
    bar = html.split('<nav class="item-bar', 1)[1].split("</nav>", 1)[0]
    assert 'href="/services/transcript/apply/"' in bar and "网上申报" in bar
    assert 'href="/queue/book/?group=xj"' in bar and "预约" in bar
    assert 'href="/inquiries/ask/?service=transcript"' in bar and "咨询" in bar
    ask = Client().get("/inquiries/ask/?service=transcript").content.decode()
    assert "【成绩证明】" in ask and f'value="{hall.jwc.pk}" selected' in ask


def test_the_pdf_is_unchanged_by_the_phone_layout(hall, public):
    response = Client().get("/catalog/transcript/sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_my_page_gathers_every_lookup(hall):
    html = Client().get("/my/").content.decode()
    for path in [
        "/progress/",
        "/queue/booking/",
        "/inquiries/lookup/",
        "/feedback/complain/status/",
    ]:
        assert f'href="{path}"' in html, path

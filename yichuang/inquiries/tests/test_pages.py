import re

import pytest
from django.test import Client

from yichuang.core.models import AuditEvent
from yichuang.inquiries import services
from yichuang.inquiries.models import FaqEntry, HandoffState, Inquiry, Status
from yichuang.inquiries.phrases import TEN_PHRASES
from yichuang.org.testing import make_evaluators

from .factories import aid_post, faq_entry, log

pytestmark = pytest.mark.django_db
SEED_002_PHRASES = [  # verbatim from seeds/002, 一(3)
    "对不起，领导不在，您有什么事需要办理吗？",
    "请稍等，我马上向领导请示。",
    "对不起，这项工作不由我们负责，我带您去××处(室、科)办理。",
    "对不起，这件事情请××同志给您办理。",
    "对不起，这是我们的疏忽，给您添麻烦啦。",
    "请多提宝贵意见，以便我们改进工作。",
    "工作当中如有不妥的地方，请多多谅解。",
    "有话请讲，没关系。",
    "不用客气，这是我们应该做的。",
    "有消息马上通知您。",
]


def quick_log(client, decision, follow=False, **extra):
    data = {
        "channel": "phone",
        "asker_name": "李小明",
        "asker_phone": "13812345678",
        "matter": "在读证明怎么开？",
        "time_limit": "immediate",
        "decision": decision,
        **extra,
    }
    return client.post("/inquiries/new/", data, follow=follow)


def test_log_page_offers_the_ten_courteous_phrases_verbatim(hall, client_for):
    html = client_for(hall.alice).get("/inquiries/new/").content.decode()
    assert [str(p) for p in TEN_PHRASES] == SEED_002_PHRASES
    for phrase in SEED_002_PHRASES:
        assert phrase in html
    assert "jwc-status" in html  # posts to route to


def test_answer_on_the_spot_from_the_log_page(hall, client_for):
    r = quick_log(client_for(hall.alice), "answer", answer="凭学生证到1号窗口即办。")
    inquiry = Inquiry.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/inquiries/{inquiry.pk}/"
    assert inquiry.status == Status.ANSWERED and inquiry.first_owner == hall.alice


def test_route_from_the_log_page_and_the_receiver_takes_it_over(hall, client_for):
    aid_post(hall)
    r = quick_log(client_for(hall.alice), "transfer", post="xsc-aid", follow=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.ROUTED and inquiry.owner == hall.alice
    assert "接收前仍由您负责" in r.content.decode()
    dave = client_for(hall.dave)
    assert inquiry.number in dave.get("/inquiries/").content.decode()
    dave.post(f"/inquiries/{inquiry.pk}/act/acknowledge/")
    inquiry.refresh_from_db()
    assert inquiry.owner == hall.dave and inquiry.handoffs.get().state == HandoffState.ACKNOWLEDGED


def test_refer_from_the_log_page(hall, client_for):
    quick_log(client_for(hall.alice), "refer", unit="研究生院", contact="0731-88820000")
    assert Inquiry.objects.get().status == Status.REFERRED


def test_a_refused_log_keeps_every_posted_value(hall, client_for):
    """A mistyped phone re-renders the log with all that was typed and chosen, down to the
    channel, the time limit, the post and "continue logging"."""
    aid_post(hall)
    r = quick_log(
        client_for(hall.alice),
        "transfer",
        channel="walk_in",
        asker_phone="12345",
        asker_email="li@example.com",
        category="学籍",
        service="",
        time_limit="investigation",
        post="xsc-aid",
        note="请资助岗回电",
        answer="先记下，稍后答复",
        unit="研究生院",
        contact="0731-88820000",
        next="new",
    )
    html = r.content.decode()
    assert r.status_code == 200 and Inquiry.objects.count() == 0
    assert "联系电话格式不正确" in html
    for selected in ('value="walk_in"', 'value="investigation"', 'value="xsc-aid"'):
        assert re.search(f"<option {selected} selected", html), selected
    assert re.search(r'<input type="checkbox" name="next" value="new"[^>]* checked', html)
    for typed in ("李小明", "12345", "li@example.com", "学籍", "请资助岗回电", "研究生院"):
        assert f'value="{typed}"' in html, typed
    assert "先记下，稍后答复</textarea>" in html and "在读证明怎么开？</textarea>" in html


def test_a_refused_action_on_an_inquiry_keeps_its_form_as_typed(hall, client_for):
    """Referring without the unit's contact is refused: the unit and the note come back in
    the form, the other forms stay empty, and the inquiry is unchanged."""
    inquiry = log(hall)
    r = client_for(hall.alice).post(
        f"/inquiries/{inquiry.pk}/act/refer/",
        {"unit": "研究生院培养办", "contact": "  ", "note": "研究生课程问题"},
    )
    html = r.content.decode()
    assert r.status_code == 400 and "请填写承办单位的联系方式" in html
    assert 'value="研究生院培养办"' in html and 'value="研究生课程问题"' in html
    assert html.count('value="研究生课程问题"') == 1  # not copied into the transfer form
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN


def test_a_decision_without_what_it_needs_keeps_the_form_and_creates_nothing(hall, client_for):
    c = client_for(hall.alice)
    r = quick_log(c, "answer")
    assert r.status_code == 200 and "当场答复请填写答复内容" in r.content.decode()
    r = quick_log(c, "transfer")
    assert "请选择转交的岗位" in r.content.decode()
    r = quick_log(c, "log", asker_phone="12345")
    assert "联系电话格式不正确" in r.content.decode() and "在读证明怎么开" in r.content.decode()
    assert Inquiry.objects.count() == 0


def test_faq_suggests_answers_from_the_matter_as_it_is_typed(hall, client_for):
    faq_entry(hall)
    c = client_for(hall.alice)
    r = c.get(
        "/inquiries/faq/suggest/?matter=老师您好，我想开一个在读证明",
        headers={"HX-Request": "true"},
    )
    html = r.content.decode()
    assert "凭学生证到1号窗口即办" in html and "<html" not in html and "插入答复" in html
    assert "在读证明怎么开" in c.get("/inquiries/faq/suggest/?q=zdzm").content.decode()
    assert "没有相近的问题" in c.get("/inquiries/faq/suggest/?q=食堂饭卡").content.decode()


def test_detail_masks_the_phone_and_records_a_reveal(hall, client_for):
    inquiry = log(hall)
    c = client_for(hall.alice)
    html = c.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert f"/inquiries/{inquiry.pk}/act/answer/" in html
    assert "13812345678" in c.get(f"/inquiries/{inquiry.pk}/?reveal=1").content.decode()
    assert AuditEvent.objects.filter(action="inquiry.personal_data_viewed").count() == 1
    html = client_for(hall.bob).get(f"/inquiries/{inquiry.pk}/?reveal=1").content.decode()
    assert "13812345678" not in html and "/act/answer/" not in html  # not his to answer


def test_actions_from_the_detail_page(hall, client_for):
    inquiry = log(hall)
    c = client_for(hall.alice)
    c.post(f"/inquiries/{inquiry.pk}/act/set_limit/", {"time_limit": "investigation"})
    r = c.post(f"/inquiries/{inquiry.pk}/act/answer/", {"answer": ""}, follow=True)
    assert "请填写答复内容" in r.content.decode()
    c.post(f"/inquiries/{inquiry.pk}/act/answer/", {"answer": "已查明，可办理。"})
    c.post(f"/inquiries/{inquiry.pk}/act/rate/", {"level": "4"})
    inquiry.refresh_from_db()
    assert inquiry.time_limit == "investigation" and inquiry.status == Status.ANSWERED
    assert inquiry.satisfaction == 4


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    return len(ctx), html


def test_my_list_and_the_supervisors_view(hall, client_for):
    post = aid_post(hall)
    waiting = log(hall)
    services.transfer_inquiry(waiting, post=post, by=hall.alice)
    log(hall)
    alice, carol = client_for(hall.alice), client_for(hall.carol)
    few_mine, html = _queries(alice, "/inquiries/")
    assert waiting.number in html and "待 陈思远（学生资助岗）接收" in html
    few_monitor, html = _queries(carol, "/inquiries/monitor/")
    assert waiting.number in html and "王晓燕" in html
    for _ in range(6):
        services.transfer_inquiry(log(hall), post=post, by=hall.alice)
    # The lists read in a fixed number of queries, however many rows they show.
    assert _queries(alice, "/inquiries/")[0] == few_mine <= 14
    assert _queries(carol, "/inquiries/monitor/")[0] == few_monitor <= 14
    assert alice.get("/inquiries/monitor/").status_code == 403


def test_it_validates_ownership(hall, client_for):
    inquiry = log(hall)
    entry = faq_entry(hall, is_public=False)
    dave = client_for(hall.dave)
    assert dave.get(f"/inquiries/{inquiry.pk}/").status_code == 404
    assert dave.post(f"/inquiries/{inquiry.pk}/act/answer/", {"answer": "x"}).status_code == 404
    assert inquiry.number not in dave.get("/inquiries/").content.decode()
    xena_head = _head_of_xsc(hall)
    assert client_for(xena_head).get(f"/inquiries/faq/manage/{entry.pk}/").status_code == 404
    assert client_for(hall.alice).get("/inquiries/faq/manage/").status_code == 403
    for evaluator in make_evaluators(hall):  # the appraisal panel sees no inquiry
        panel = client_for(evaluator)
        assert panel.get(f"/inquiries/{inquiry.pk}/").status_code == 404
        assert inquiry.number not in panel.get("/inquiries/").content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN


def _head_of_xsc(hall):
    from yichuang.org.testing import make_staff

    return make_staff("xena", hall.xsc, "department_head", full_name="孙丽")


def test_department_head_keeps_the_faq_with_pinyin(hall, client_for):
    c = client_for(hall.carol)
    r = c.post(
        "/inquiries/faq/manage/new/",
        {
            "department": hall.jwc.pk,
            "question": "成绩单怎么打印？",
            "answer": "自助打印机即可打印。",
            "keywords": "成绩单，打印",
            "is_public": "on",
            "is_active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()
    entry = FaqEntry.objects.get()
    assert entry.keywords == "成绩单 打印" and entry.pinyin_initials.startswith("cjdzmdy")
    assert entry.updated_by == hall.carol
    assert AuditEvent.objects.filter(action="faq.created").exists()


def test_public_faq_page_needs_no_login_and_hides_internal_entries(hall):
    faq_entry(hall)
    faq_entry(hall, question="内部口径", answer="仅内部", keywords="内部", is_public=False)
    html = Client().get("/inquiries/faq/").content.decode()
    assert "在读证明怎么开" in html and "内部口径" not in html
    fragment = (
        Client().get("/inquiries/faq/?q=zdzm", headers={"HX-Request": "true"}).content.decode()
    )
    assert "在读证明怎么开" in fragment and "<html" not in fragment


def test_online_consultation_round_trip_on_the_public_pages(hall, client_for):
    from django.core.cache import cache

    cache.clear()  # failed lookups of other tests count against the same address
    public = Client()
    assert "咨询部门" in public.get("/inquiries/ask/").content.decode()
    r = public.post(
        "/inquiries/ask/",
        {
            "name": "李小明",
            "phone": "13812345678",
            "department": hall.jwc.pk,
            "matter": "学籍异动怎么办理？",
        },
    )
    assert r.status_code == 201
    inquiry = Inquiry.objects.get()
    assert inquiry.number in r.content.decode() and inquiry.query_code in r.content.decode()
    assert public.get(f"/inquiries/lookup/?number={inquiry.number}&code=WRONG").status_code == 404
    services.answer_inquiry(inquiry, answer="请到1号窗口办理。", by=hall.alice)
    html = public.get(
        f"/inquiries/lookup/?number={inquiry.number}&code={inquiry.query_code}"
    ).content.decode()
    assert "请到1号窗口办理" in html and "王晓燕" not in html and "13812345678" not in html
    public.post(
        "/inquiries/lookup/rate/",
        {"number": inquiry.number, "code": inquiry.query_code, "level": "5"},
    )
    inquiry.refresh_from_db()
    assert inquiry.satisfaction == 5


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "李小明", "department": "jwc-pk", "matter": "x"}, "手机号码或电子邮箱"),
        (
            {"name": "", "phone": "13812345678", "department": "jwc-pk", "matter": "x"},
            "这个字段是必填项",
        ),
        (
            {"name": "李小明", "phone": "123", "department": "jwc-pk", "matter": "x"},
            "联系电话格式不正确",
        ),
        ({"name": "李小明", "phone": "13812345678", "matter": "x"}, "这个字段是必填项"),
    ],
)
def test_bad_online_consultation_says_why_and_saves_nothing(hall, data, message):
    data = {k: (hall.jwc.pk if v == "jwc-pk" else v) for k, v in data.items()}
    r = Client().post("/inquiries/ask/", data, follow=True)
    assert message in r.content.decode()
    assert Inquiry.objects.count() == 0


def test_a_robot_filling_the_hidden_field_saves_nothing(hall):
    Client().post(
        "/inquiries/ask/",
        {
            "name": "x",
            "phone": "13812345678",
            "department": hall.jwc.pk,
            "matter": "广告",
            "website": "http://spam",
        },
    )
    assert Inquiry.objects.count() == 0


def test_the_admin_saves_faq_through_the_service(hall, client_for):
    from yichuang.org.testing import make_staff

    admin = make_staff("adam", None, "administrator", is_staff=True, is_superuser=True)
    r = client_for(admin).post(
        "/admin/inquiries/faqentry/add/",
        {
            "department": hall.jwc.pk,
            "question": "补办学生证去哪里？",
            "answer": "到1号窗口申请补办。",
            "keywords": "学生证、补办",
            "is_public": "on",
            "is_active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = FaqEntry.objects.get()
    assert entry.keywords == "学生证 补办" and entry.pinyin_initials.startswith("bbxszqnl")
    assert entry.updated_by == admin and AuditEvent.objects.filter(action="faq.created").exists()


def test_closing_an_inquiry_is_offered_last_and_asks_first(hall, client_for):
    inquiry = log(hall)
    html = client_for(hall.alice).get(f"/inquiries/{inquiry.pk}/").content.decode()
    forms = re.findall(r'<form [^>]*class="action-form (\w+)"([^>]*)data-action="(\w+)"', html)
    assert forms[-1][0] == "danger" and forms[-1][2] == "close" and "data-confirm=" in forms[-1][1]
    assert all(style == "secondary" for style, _attrs, _a in forms[:-1])

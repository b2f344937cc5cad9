import re

import pytest
from django.test import Client

from yichuang.core.models import AuditEvent
from yichuang.feedback import services
from yichuang.feedback.models import (
    Announcement,
    Channel,
    Complaint,
    FollowUp,
    Rating,
    RatingInvitation,
    Survey,
    Tablet,
    Visit,
)
from yichuang.org.testing import make_evaluators

from .factories import at, completed_case, immediate_service

pytestmark = pytest.mark.django_db


def rate(case, level):
    return services.rate_case(case, level=level, channel=Channel.QR, query_code=case.query_code)


def complaint(hall, **extra):
    c = services.receive_complaint(
        channel="portal",
        name="李小明",
        phone="13812345678",
        subject="态度差",
        content="内容",
        **extra,
    )
    services.assign_complaint(c, department=hall.jwc, staff=hall.alice, by=hall.olga)
    return c


def test_home_shows_the_months_ratings(hall, client_for):
    rate(completed_case(hall), 5)
    html = client_for(hall.alice).get("/feedback/").content.decode()
    assert "本月评价" in html and "<svg" in html and "非常满意" in html
    assert "差评回访（在办）" not in html  # a clerk does not handle follow-ups
    assert "差评回访（在办）" in client_for(hall.carol).get("/feedback/").content.decode()


def test_the_rated_clerk_sees_her_ratings_without_the_rater(hall, client_for):
    case = completed_case(hall, phone="13899998888")
    rate(case, 2)
    html = client_for(hall.alice).get("/feedback/ratings/").content.decode()
    assert "不满意" in html and case.number not in html
    assert "李小明" not in html and "13899998888" not in html
    head = client_for(hall.carol).get("/feedback/ratings/").content.decode()
    assert case.number in head and "李小明" not in head and "13899998888" not in head


def test_the_ratings_list_reads_a_fixed_number_of_queries(
    hall, client_for, django_assert_max_num_queries
):
    service = immediate_service(hall)
    for level in (5, 4, 3, 2, 1):
        rate(completed_case(hall, service), level)
    client = client_for(hall.carol)
    with django_assert_max_num_queries(14):
        assert client.get("/feedback/ratings/").status_code == 200
    for level in (5, 4, 3):
        rate(completed_case(hall, service), level)
    with django_assert_max_num_queries(14):
        assert client.get("/feedback/ratings/").status_code == 200


def test_the_follow_up_page_takes_each_step(hall, client_for, django_assert_max_num_queries):
    rate(completed_case(hall), 1)
    f = FollowUp.objects.get()
    carol = client_for(hall.carol)
    with django_assert_max_num_queries(14):
        listing = carol.get("/feedback/followups/").content.decode()
    assert "黄灯" in listing or "绿灯" in listing
    html = carol.get(f"/feedback/followups/{f.pk}/").content.decode()
    assert "回访核实" in html and "138****5678" in html
    carol.get(f"/feedback/followups/{f.pk}/?reveal=1")
    assert AuditEvent.objects.filter(action="feedback.personal_data_viewed").count() == 1
    url = f"/feedback/followups/{f.pk}/act/"
    carol.post(url + "verify/", {"finding": "substantiated", "note": "电话核实属实"})
    carol.post(url + "hold_accountable/", {"kind": "criticism_education", "reason": "推诿"})
    carol.post(url + "rectify/", {"measures": "整改"})
    carol.post(url + "reply/", {"reply": "已整改"})
    r = carol.post(url + "close/", {"note": ""})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.status == "closed" and f.accountability_records.count() == 1
    html = carol.get(f"/feedback/followups/{f.pk}/").content.decode()
    assert "责任追究" in html and "已办结" in html


def test_the_public_complaint_form_gives_number_and_query_code(hall):
    r = Client().post(
        "/feedback/complain/",
        {
            "kind": "suggestion",
            "name": "李小明",
            "phone": "13812345678",
            "subject": "建议增加座椅",
            "content": "等候区座椅不够",
        },
    )
    assert r.status_code == 201
    c = Complaint.objects.get()
    html = r.content.decode()
    assert c.number in html and c.query_code in html and c.number.startswith("JY")
    status = Client().get(f"/feedback/complain/status/?number={c.number}&code={c.query_code}")
    assert "待分办" in status.content.decode()
    assert Client().get(f"/feedback/complain/status/?number={c.number}&code=X").status_code == 404


def test_a_robot_filling_the_hidden_field_registers_nothing(hall):
    r = Client().post(
        "/feedback/complain/",
        {
            "kind": "complaint",
            "name": "bot",
            "phone": "13812345678",
            "subject": "s",
            "content": "c",
            "website": "http://spam",
        },
    )
    assert r.status_code == 302 and not Complaint.objects.exists()


def test_staff_log_a_phone_complaint_and_the_office_handles_it(hall, client_for):
    r = client_for(hall.alice).post(
        "/feedback/complaints/new/",
        {
            "kind": "complaint",
            "channel": "phone",
            "name": "王老师",
            "phone": "",
            "subject": "电话投诉",
            "content": "电话打不通",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/feedback/"  # not hers to read
    c = Complaint.objects.get()
    assert c.received_by == hall.alice and c.channel == "phone"
    olga = client_for(hall.olga)
    olga.post(f"/feedback/complaints/{c.number}/act/assign/", {"department": "jwc"})
    carol = client_for(hall.carol)
    html = carol.get(f"/feedback/complaints/{c.number}/").content.decode()
    assert "调查核实" in html and "王*师" in html
    carol.post(
        f"/feedback/complaints/{c.number}/act/verify/",
        {"outcome": "upheld", "verification": "王老师反映的情况属实"},
    )
    carol.post(f"/feedback/complaints/{c.number}/act/reply/", {"reply": "已整改"})
    html = olga.get(f"/feedback/complaints/{c.number}/").content.decode()
    assert "起草处理结果通报" in html
    draft = olga.get(f"/feedback/announcements/manage/?complaint={c.number}").content.decode()
    assert "王老师" not in draft and "王*师" in draft


def test_complaint_lists_mask_the_complainant(hall, client_for):
    complaint(hall)
    html = client_for(hall.carol).get("/feedback/complaints/").content.decode()
    assert "李*明" in html and "138****5678" in html and "13812345678" not in html


def test_the_rating_link_offers_five_levels_none_chosen(hall):
    case = completed_case(hall)
    url = f"/feedback/rate/{case.number}/"
    assert Client().get(url).status_code == 200  # asks for the query code
    assert Client().get(url + "?c=WRONG123").status_code == 404
    html = Client().get(url + f"?c={case.query_code}&via=sms").content.decode()
    assert html.count('type="radio" name="level"') == 5 and "checked" not in html
    r = Client().post(url, {"c": case.query_code, "via": "sms", "comment": "好"})
    assert r.status_code == 200 and not Rating.objects.exists()  # no level chosen
    r = Client().post(url, {"c": case.query_code, "via": "sms", "level": "1", "comment": "慢"})
    assert r.status_code == 201 and Rating.objects.get().channel == "sms"
    html = Client().get(url + f"?c={case.query_code}").content.decode()
    assert "您已评价" in html
    Client().post(url + "appeal/", {"c": case.query_code, "reason": "点错了"})
    assert Rating.objects.get().appeals.count() == 1


def test_the_tablet_shows_only_the_case_the_clerk_handed_it(hall, client_for):
    tablet = Tablet.objects.create(window=hall.window)
    url = f"/feedback/tablet/{tablet.token}/"
    case, other = completed_case(hall), completed_case(hall)
    html = Client().get(url).content.decode()
    # served cases are not offered: the tablet waits for the clerk, or a number and code
    assert case.number not in html and other.number not in html and "请评价" in html
    alice = client_for(hall.alice)
    invite_page = alice.get("/feedback/invite/").content.decode()
    assert case.number in invite_page and other.number in invite_page
    r = alice.post("/feedback/invite/", {"case": case.number})
    assert r.status_code == 302
    bound = RatingInvitation.objects.get()
    html = Client().get(url).content.decode()
    assert case.number in html and "李*明" in html and "checked" not in html
    assert other.number not in html and f'name="invitation" value="{bound.pk}"' in html
    assert html.count('name="level"') == 5
    # the bound invitation does not rate another case, nor without naming it
    r = Client().post(url, {"case": other.number, "level": "5", "invitation": bound.pk})
    assert r.status_code == 409 and "不是这个办件" in r.content.decode()
    r = Client().post(url, {"case": case.number, "level": "5"})
    assert r.status_code == 404 and not Rating.objects.exists()
    r = Client().post(url, {"case": case.number, "level": "4", "invitation": bound.pk})
    assert r.status_code == 302 and "thanks=1" in r["Location"]
    assert Rating.objects.get().channel == "tablet"
    assert "谢谢您的评价" in Client().get(url + "?thanks=1").content.decode()
    r = Client().post(url, {"case": case.number, "level": "1", "invitation": bound.pk})
    assert r.status_code == 409 and Rating.objects.count() == 1
    assert case.number not in Client().get(url).content.decode()
    assert Client().get("/feedback/tablet/nope/").status_code == 404


def test_a_clerk_of_another_department_cannot_hand_a_case_to_the_tablet(hall, client_for):
    Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    r = client_for(hall.dave).post("/feedback/invite/", {"case": case.number})
    assert r.status_code == 200 and not RatingInvitation.objects.exists()


def test_the_tablet_takes_a_typed_case_with_its_query_code(hall):
    tablet = Tablet.objects.create(window=hall.window)
    with at(2026, 3, 2):
        case = completed_case(hall)
    with at(2026, 3, 3):
        url = f"/feedback/tablet/{tablet.token}/"
        assert Client().get(url + f"?number={case.number}&c=WRONG").status_code == 404
        html = Client().get(url + f"?number={case.number}&c={case.query_code}").content.decode()
        assert case.number in html
        assert Client().post(url, {"case": case.number, "level": "5"}).status_code == 404
        r = Client().post(url, {"case": case.number, "level": "5", "c": case.query_code})
        assert r.status_code == 302 and Rating.objects.count() == 1


def test_announcements_are_public_once_published(hall, client_for):
    olga = client_for(hall.olga)
    olga.post(
        "/feedback/announcements/manage/",
        {
            "title": "关于投诉处理的通报",
            "body": "反映人 李小明 13812345678 的投诉已办结。",
        },
    )
    a = Announcement.objects.get()
    assert "13812345678" not in a.body
    assert Client().get(f"/feedback/announcements/{a.pk}/").status_code == 404
    olga.post(f"/feedback/announcements/manage/{a.pk}/publish/")
    html = Client().get("/feedback/announcements/").content.decode()
    assert "关于投诉处理的通报" in html
    assert "138****5678" in Client().get(f"/feedback/announcements/{a.pk}/").content.decode()


def test_a_survey_from_its_page_to_its_public_link_and_results(hall, client_for):
    olga = client_for(hall.olga)
    r = olga.post(
        "/feedback/surveys/",
        {
            "title": "满意度调查",
            "intro": "",
            "department": "",
            "access": "phone",
            "questions": "[单选] 环境 | 好 | 差\n[评分] 态度\n[填空] 建议（选答）",
        },
    )
    s = Survey.objects.get()
    assert r.status_code == 302
    q = {x.position: x for x in s.questions.all()}
    public = f"/feedback/s/{s.token}/"
    html = Client().get(public).content.decode()
    assert "环境" in html and "checked" not in html
    good = q[1].choices.get(text="好")
    filled = {f"q{q[1].pk}": str(good.pk), f"q{q[2].pk}": "5", "phone": "13812345678"}
    r = Client().post(public, filled)
    assert r.status_code == 201
    r = Client().post(public, filled)  # the same phone again: refused, said so
    assert r.status_code == 409 and "只能提交一次" in r.content.decode()
    r = Client().post(public, {f"q{q[1].pk}": str(good.pk), "phone": "13900000000"})
    assert r.status_code == 400 and s.responses.count() == 1  # the rating is required
    html = olga.get(f"/feedback/surveys/{s.pk}/").content.decode()
    assert "<svg" in html and "1（100%）" in html
    xlsx = olga.get(f"/feedback/surveys/{s.pk}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_survey_by_invitation_from_its_page_to_its_links(hall, client_for):
    from yichuang.feedback.models import SurveyInvitation

    olga = client_for(hall.olga)
    olga.post(
        "/feedback/surveys/",
        {"title": "回访问卷", "department": "", "access": "invitation", "questions": "[评分] 态度"},
    )
    s = Survey.objects.get()
    olga.post(f"/feedback/surveys/{s.pk}/invite/", {"count": "2"})
    links = list(SurveyInvitation.objects.filter(survey=s))
    html = olga.get(f"/feedback/surveys/{s.pk}/").content.decode()
    assert len(links) == 2 and all(f"?i={i.token}" in html for i in links)
    public = f"/feedback/s/{s.token}/"
    assert "凭邀请链接填写" in Client().get(public).content.decode()
    q = s.questions.get()
    r = Client().post(public, {f"q{q.pk}": "5", "i": links[0].token})
    assert r.status_code == 201
    r = Client().post(public, {f"q{q.pk}": "1", "i": links[0].token})
    assert r.status_code == 409 and "只能提交一次" in r.content.decode()
    assert s.responses.count() == 1
    assert (
        client_for(hall.alice).post(f"/feedback/surveys/{s.pk}/invite/", {"count": "2"}).status_code
        == 404
    )


def test_visits_are_drawn_recorded_and_covered(hall, client_for):
    with at(2026, 3, 10):
        case = completed_case(hall)
    olga = client_for(hall.olga)
    with at(2026, 4, 2):
        olga.post("/feedback/visits/draw/", {"period": "2026-03"})
        v = Visit.objects.get()
        assert v.case == case
        html = olga.get("/feedback/visits/?period=2026-03").content.decode()
        assert "教务处" in html and "0%" in html
        page = client_for(hall.carol).get(f"/feedback/visits/{v.pk}/").content.decode()
        assert "在读证明" in page and "138****5678" in page
        answers = {
            f"q{q.pk}": {"level": "5", "yes_no": "yes", "text": ""}[q.kind]
            for q in v.script.questions.all()
        }
        client_for(hall.carol).post(f"/feedback/visits/{v.pk}/", {"status": "done", **answers})
        v.refresh_from_db()
        assert v.status == "done"
        assert "100%" in olga.get("/feedback/visits/?period=2026-03").content.decode()


def test_accountability_page_records_for_the_heads_department(hall, client_for):
    carol = client_for(hall.carol)
    carol.post(
        "/feedback/accountability/",
        {"staff": "alice", "kind": "rectification_order", "reason": "台账不全"},
    )
    carol.post(
        "/feedback/accountability/",
        {"staff": "dave", "kind": "criticism_education", "reason": "越权"},
    )
    html = carol.get("/feedback/accountability/").content.decode()
    assert "责令整改" in html and "台账不全" in html and "越权" not in html
    assert "台账不全" in client_for(hall.alice).get("/feedback/accountability/").content.decode()
    assert "台账不全" not in client_for(hall.bob).get("/feedback/accountability/").content.decode()


def test_it_validates_ownership(hall, client_for):
    rate(completed_case(hall), 1)
    f = FollowUp.objects.get()
    c = complaint(hall)
    survey = services.create_survey(
        title="教务问卷", questions="[评分] 态度", department=hall.jwc, by=hall.carol
    )
    dave = client_for(hall.dave)
    assert dave.get(f"/feedback/followups/{f.pk}/").status_code == 404
    assert (
        dave.post(
            f"/feedback/followups/{f.pk}/act/verify/", {"finding": "partly", "note": "x"}
        ).status_code
        == 404
    )
    assert dave.get("/feedback/complaints/").status_code == 403
    assert dave.get(f"/feedback/complaints/{c.number}/").status_code == 404
    assert dave.get(f"/feedback/surveys/{survey.pk}/").status_code == 404
    assert dave.get(f"/feedback/surveys/{survey.pk}.xlsx").status_code == 404
    assert "没有评价。" in dave.get("/feedback/ratings/").content.decode()
    alice = client_for(hall.alice)
    assert alice.get(f"/feedback/complaints/{c.number}/").status_code == 404
    assert alice.get(f"/feedback/followups/{f.pk}/").status_code == 404
    assert alice.get("/feedback/tablets/").status_code == 403
    assert client_for(hall.carol).get("/feedback/appeals/").status_code == 403
    for evaluator in make_evaluators(hall):  # the appraisal panel: no rating or complaint
        panel = client_for(evaluator)
        assert panel.get(f"/feedback/complaints/{c.number}/").status_code == 404
        assert panel.get("/feedback/complaints/").status_code == 403
        assert panel.get(f"/feedback/followups/{f.pk}/").status_code == 404
        assert panel.get(f"/feedback/surveys/{survey.pk}/").status_code == 404
        assert "没有评价。" in panel.get("/feedback/ratings/").content.decode()
    assert (
        client_for(hall.carol).post(f"/feedback/complaints/{c.number}/act/close/").status_code
        == 302
    )
    assert Complaint.objects.get().status == "handling"
    assert Client().get("/feedback/").status_code == 302  # login
    f.refresh_from_db()
    assert f.status == "verifying"
    assert re.search("followups", client_for(hall.olga).get("/feedback/").content.decode())


def test_the_complaint_page_offers_the_next_step_first_beside_the_facts(hall, client_for):
    c = complaint(hall)  # assigned: the department verifies it next
    html = client_for(hall.olga).get(f"/feedback/complaints/{c.number}/").content.decode()
    steps = re.findall(r'class="action-form (\w+)"[^>]*data-action="(\w+)"', html)
    assert steps[0] == ("primary", "verify")
    assert ("secondary", "assign") in steps  # a new assignment is there, not first
    assert [a for style, a in steps if style == "primary"] == ["verify"]
    assert 'class="detail-side noprint"' in html and 'class="grid"' not in html


def first_cell(html, number):
    """The words in the light column of the complaint's row."""
    row = re.search(
        rf'<tr><td[^>]*>((?:(?!</td>).)*)</td>\s*<td><a href="/feedback/complaints/{number}/',
        html,
        re.S,
    )
    return re.sub(r"<[^>]+>|●", "", row.group(1)).strip()


def test_lists_say_the_working_days_left_and_whether_the_reply_was_on_time(hall, client_for):
    with at(2026, 3, 2, 10):
        c = complaint(hall)
    with at(2026, 3, 2, 11):
        html = client_for(hall.olga).get("/feedback/complaints/").content.decode()
    assert first_cell(html, c.number) == "剩余 15 个工作日"
    with at(2026, 3, 3, 10):
        services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.carol)
        services.reply_complaint(c, reply="已整改", by=hall.carol)
        html = client_for(hall.olga).get("/feedback/complaints/?status=replied").content.decode()
    assert first_cell(html, c.number) == "按期办结"

"""March 2026 in a small hall, made through the service functions, with every figure of the
month computed by hand below. 2026-03 has no holiday; Qingming is Apr 4–6.

教务处 (post jwc-status, window 1, alice holds it, bob backs her up):
  C9  accepted Thu Feb 26, rated 4 on Feb 27 while still running, completed Mon Mar 2
      (deadline Mar 4): on time, 3 working days (Feb 27, Sat Feb 28 a make-up working
      day of the Spring Festival, Mar 2).
  C1  accepted Mar 2, completed Mar 9 16:00 = its deadline day: on time, 5 working days.
      Rated 5.
  C2  accepted Mar 2; alice away, bob reviews it Mar 9 23:50 (a cover event); completed
      Tue Mar 10 00:30 local — Mar 9 in UTC, yet late (deadline Mar 9), 6 working days.
      Rated 2 (bad) → follow-up, closed by Mar 13. One upheld complaint.
  C3  accepted Mar 2, suspended Mar 3, resumed Mar 5 (2 working days), deadline Mar 11,
      completed Mar 11: on time, wd(Mar 2 → 11) − 2 = 5. Rated 1, voided → not counted.
  C4  immediate, completed Mar 4: on time, 0 days. Default rating (3) dated Mar 11.
  C5  accepted Fri Mar 20, deadline Mar 27, still running: red on Apr 3. Rated 2 on the
      tablet path (sms) while running → open follow-up.
  C6  accepted Mon Mar 30, deadline Apr 7 (Qingming), yellow from Apr 3.
  C7  received Mar 5 without 申请表, supplement asked and brought, accepted Mar 6,
      completed Mar 12: on time, 4 working days. Unrated.
  C8  received Mar 10 and rejected (不予受理): received only.
  C0  completed Feb 27 (the previous month), rated 5 in February.
学生处 (post xsc-affairs, dave):
  C10 accepted and completed Tue Mar 3: on time, 0 days; default rating (3) dated Mar 10.
Inquiries of alice: answered at once (in time), answered a day late, never answered (due
Mar 20). Complaints: one upheld (C2), one not upheld (C1), one suggestion (not counted).
Visits of 2026-03: one drawn per department; jwc's made."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

from yichuang.cases import services as cases
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.feedback import services as feedback
from yichuang.feedback.models import Channel, Visit
from yichuang.inquiries.intake import log_inquiry
from yichuang.inquiries.services import answer_inquiry
from yichuang.org.models import Post
from yichuang.org.services import set_presence

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 3)


def at(m, d, hh=10, mm=0):
    return time_machine.travel(datetime(2026, m, d, hh, mm, tzinfo=SH), tick=False)


def new_case(service, by, materials=None):
    return cases.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service) if materials is None else materials,
        by=by,
    )


def accepted(service, by):
    case = new_case(service, by)
    cases.accept_case(case, by=by)
    return case


def finish(case, *, reviewer, checker):
    cases.review_case(case, decision="approve", by=reviewer)
    cases.check_case(case, agree=True, by=checker)


def rate(case, level):
    return feedback.rate_case(case, level=level, channel=Channel.SMS, query_code=case.query_code)


def build_march(hall):
    xsc_post = Post.objects.create(
        code="xsc-affairs", name="学生事务岗", department=hall.xsc, holder=hall.dave
    )
    zxzm = make_service(hall, code="zxzm", committed_days=5)
    cjd = make_service(hall, code="cjd", name="成绩单", kind="immediate", committed_days=0)
    xszm = make_service(hall, code="xszbb", name="学生证补办", committed_days=3, post=xsc_post)
    a, rita = hall.alice, hall.rita
    c = SimpleNamespace()

    with at(2, 25):
        c.c0 = accepted(zxzm, a)
    with at(2, 26):
        c.c9 = accepted(zxzm, a)
    with at(2, 27):
        finish(c.c0, reviewer=a, checker=rita)
        rate(c.c0, 5)
        rate(c.c9, 4)
    with at(3, 2, 9):
        finish(c.c9, reviewer=a, checker=rita)
    with at(3, 2):
        c.c1, c.c2, c.c3 = accepted(zxzm, a), accepted(zxzm, a), accepted(zxzm, a)
    with at(3, 3, 9):
        c.c10 = accepted(xszm, hall.dave)
        finish(c.c10, reviewer=hall.dave, checker=rita)
    with at(3, 3):
        cases.suspend_case(c.c3, reason="专家评审", by=a)
    with at(3, 4):
        c.c4 = new_case(cjd, a)
        cases.complete_case(c.c4, by=a)
    with at(3, 5):
        cases.resume_case(c.c3, by=a)
        card = zxzm.materials.get(name="学生证").pk
        form = zxzm.materials.get(name="申请表").pk
        c.c7 = new_case(zxzm, a, materials=[card])
        cases.request_supplement(c.c7, missing=[form], by=a)
    with at(3, 6):
        cases.supplement_case(c.c7, materials=[form], by=a)
        cases.accept_case(c.c7, by=a)
    with at(3, 9, 16):
        finish(c.c1, reviewer=a, checker=rita)
        rate(c.c1, 5)
    with at(3, 9, 20):
        set_presence(a, status="leave", until=datetime(2026, 3, 10, 12, tzinfo=SH), by=a)
    with at(3, 9, 23, 50):
        cases.review_case(c.c2, decision="approve", by=hall.bob)
    with at(3, 10, 0, 30):
        cases.check_case(c.c2, agree=True, by=rita)
    with at(3, 10, 14):
        c.c8 = new_case(zxzm, a)
        cases.reject_case(c.c8, reason="不符合申请条件", by=a)
        c.bad = rate(c.c2, 2)
    with at(3, 11):
        finish(c.c3, reviewer=a, checker=rita)
    with at(3, 11, 12):
        feedback.apply_default_ratings()
    with at(3, 12):
        finish(c.c7, reviewer=a, checker=rita)
        c.voided = rate(c.c3, 1)
        feedback.verify_follow_up(
            c.bad.follow_up, finding="substantiated", note="属实", by=hall.carol
        )
        feedback.rectify_follow_up(c.bad.follow_up, measures="批评教育", by=hall.carol)
        feedback.reply_follow_up(c.bad.follow_up, reply="已整改", by=hall.carol)
    with at(3, 13):
        feedback.close_follow_up(c.bad.follow_up, note="闭环", by=hall.olga)
        feedback.void_rating(c.voided, reason="评价人误操作", by=hall.olga)
    with at(3, 15):
        _complaint(hall, c.c2, "upheld")
        _complaint(hall, c.c1, "not_upheld")
        feedback.receive_complaint(
            kind="suggestion",
            channel="phone",
            name="王五",
            phone="13812345678",
            subject="建议",
            content="增加自助机",
            by=hall.olga,
        )
    with at(3, 16):
        asker = {"name": "李四", "phone": "13812345678"}
        quick = log_inquiry(channel="walk_in", asker=asker, matter="成绩单怎么开", by=a)
        answer_inquiry(quick, answer="窗口即办", by=a)
    with at(3, 2):
        late = log_inquiry(channel="walk_in", asker=asker, matter="转专业", by=a)
    with at(3, 3):
        answer_inquiry(late, answer="见教务处通知", by=a)
    with at(3, 20):
        c.c5 = accepted(zxzm, a)
        log_inquiry(channel="walk_in", asker=asker, matter="学籍异动", by=a)
    with at(3, 21):
        rate(c.c5, 2)
    with at(3, 30):
        c.c6 = accepted(zxzm, a)
    with at(4, 1):
        feedback.draw_visit_sample(period="2026-03", by=hall.olga)
        visit = Visit.objects.get(department=hall.jwc)
        answers = {str(q.pk): _answer(q.kind) for q in visit.script.questions.all()}
        feedback.record_visit(visit, status="done", answers=answers, by=hall.carol)
    c.services = SimpleNamespace(zxzm=zxzm, cjd=cjd, xszm=xszm, xsc_post=xsc_post)
    return c


def complaint(hall, *, department, case=None):
    """A complaint received by phone and handed to `department` (not yet verified)."""
    made = feedback.receive_complaint(
        channel="phone",
        name="张三",
        phone="13812345678",
        subject="办理慢",
        content="等了很久",
        case=case,
        by=hall.olga,
    )
    feedback.assign_complaint(made, department=department, by=hall.olga)
    return made


def _complaint(hall, case, outcome):
    made = complaint(hall, department=hall.jwc, case=case)
    feedback.verify_complaint(made, outcome=outcome, verification="已核实", by=hall.carol)
    return made


def _answer(kind):
    return {"level": 5, "yes_no": "yes"}.get(kind, "满意")

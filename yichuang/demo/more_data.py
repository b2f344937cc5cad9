"""The demo hall's FAQ, inquiries and notices, written through each app's service functions."""

import random
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone

from yichuang.catalog.models import Service
from yichuang.core.errors import DomainError
from yichuang.inquiries import services as inquiries
from yichuang.inquiries.faq import save_faq_entry
from yichuang.inquiries.intake import log_inquiry
from yichuang.org.models import Post, Staff
from yichuang.portal.services import publish_notice

from .routing_data import seed_routing

FAQ = [
    (
        "jwc-transcript",
        "成绩证明需要本人来办吗？",
        "可以委托他人代办，代办人须携带授权委托书及双方身份证件。",
    ),
    (
        "jwc-transcript",
        "成绩证明可以出英文版吗？",
        "可以。申请时勾选“英文版”，当场打印并加盖教务处公章。",
    ),
    (
        "jwc-enrolment-cert",
        "在读证明多久能拿到？",
        "材料齐全的当场办结；网上申报的在 1 个工作日内办结，可到窗口领取或下载电子版。",
    ),
    (
        None,
        "大厅的办公时间是什么？",
        "工作日上午 8:30-12:00，下午 14:30-17:30；法定节假日休息，调休上班日正常办公。",
    ),
    (
        None,
        "材料不全怎么办？",
        "窗口会一次性告知需要补交的全部材料，并出具补件通知书；补正期间不计入办理时限。",
    ),
]

QUESTIONS = [
    ("phone", "询问休学手续需要哪些材料"),
    ("walk_in", "咨询成绩单翻译件能否盖章"),
    ("phone", "问国家助学贷款续贷时间"),
    ("email", "咨询差旅费报销需要的发票要求"),
    ("walk_in", "问研究生学位证明办理地点"),
    ("phone", "咨询宿舍空调报修进度"),
    ("letter", "来信询问在职证明能否邮寄"),
    ("phone", "询问转专业申请截止时间"),
]

NOTICES = [
    (
        "关于 2027 年元旦假期大厅办公安排的通知",
        "2027 年 1 月 1 日至 3 日休息，1 月 4 日起正常办公。假期内网上申报照常受理，节后按序办理。",
        True,
    ),
    (
        "学生资助窗口集中办理家庭经济困难认定",
        "即日起至 12 月 15 日，3 号窗口集中受理家庭经济困难认定申请，请携带告知单所列材料，避开中午高峰。",
        False,
    ),
    (
        "师生服务大厅开通网上预约与进度查询",
        "办事前可在“办事指南”查看一次性告知单，网上申报后凭办件编号和查询码查询进度并评价。",
        False,
    ),
]


def seed_faq(*, office: Staff) -> None:
    services = {s.code: s for s in Service.objects.filter(is_active=True)}
    for code, question, answer in FAQ:
        service = services.get(code) if code else None
        department = (
            service.department if service else office.department or Post.objects.all()[0].department
        )
        try:
            save_faq_entry(
                by=office, service=service, department=department, question=question, answer=answer
            )
        except DomainError:
            pass


def seed_more(*, office: Staff, seed: int = 11) -> None:
    rng = random.Random(seed)
    seed_faq(office=office)
    seed_routing(by=office)
    today = timezone.localdate()
    posts = list(Post.objects.select_related("holder", "department"))
    for i, (channel, matter) in enumerate(QUESTIONS * 3):
        day = today - timedelta(days=rng.randrange(0, 30))
        when = timezone.make_aware(
            datetime.combine(day, time(9, 30)) + timedelta(minutes=rng.randrange(0, 400))
        )
        if when > timezone.now():
            when = timezone.now() - timedelta(minutes=5)
        post = rng.choice(posts)
        clerk = post.holder
        with time_machine.travel(when, tick=False):
            try:
                inquiry = log_inquiry(
                    channel=channel,
                    asker={"name": f"咨询人{i + 1}", "phone": f"1390731{i:04d}"},
                    matter=matter,
                    by=clerk,
                    time_limit="immediate" if i % 3 else "investigation",
                )
                if i % 4 != 3:
                    inquiries.answer_inquiry(
                        inquiry, answer="已按办事指南一次性告知，请按告知单准备材料。", by=clerk
                    )
                elif i % 8 == 3:
                    other = rng.choice([p for p in posts if p.pk != post.pk])
                    inquiries.transfer_inquiry(inquiry, post=other, note="属于该岗位职责", by=clerk)
            except DomainError:
                continue
    for title, body, pinned in NOTICES:
        publish_notice(title=title, body=body, pinned=pinned, by=office)

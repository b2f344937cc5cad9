from yichuang.inquiries import services
from yichuang.inquiries.faq import save_faq_entry
from yichuang.org.models import Post

MATTER = "请问在读证明怎么开？需要带什么材料？"


def asker(**extra):
    return {"name": "李小明", "phone": "13812345678", **extra}


def log(hall, *, by=None, channel="phone", matter=MATTER, **kwargs):
    return services.log_inquiry(
        channel=channel, asker=asker(), matter=matter, by=by or hall.alice, **kwargs
    )


def aid_post(hall):
    """学生资助岗 of 学生处, held by dave: somewhere to route 教务处's callers."""
    return Post.objects.create(
        code="xsc-aid", name="学生资助岗", department=hall.xsc, holder=hall.dave
    )


def faq_entry(
    hall,
    *,
    by=None,
    question="在读证明怎么开？",
    answer="凭学生证到1号窗口即办，当场出具。",
    keywords="在读证明 开证明",
    department=None,
    is_public=True,
):
    return save_faq_entry(
        by=by or hall.carol,
        department=department or hall.jwc,
        question=question,
        answer=answer,
        keywords=keywords,
        is_public=is_public,
    )

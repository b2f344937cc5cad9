import pytest

from yichuang.org.testing import make_staff

from .factories import Catalog


@pytest.fixture
def cat(hall):
    """The `hall` personas plus what the catalogue needs: a second post in each of 教务处 and
    学生处, and xena, head of 学生处 (who must not edit 教务处's items)."""
    from yichuang.org.models import Post

    exam = Post.objects.create(code="jwc-exam", name="考试与证书岗", department=hall.jwc)
    aid = Post.objects.create(
        code="xsc-aid", name="学生资助岗", department=hall.xsc, holder=hall.dave
    )
    xena = make_staff("xena", hall.xsc, "department_head", full_name="孙丽")
    admin = make_staff("adam", None, "administrator", full_name="周建")
    return Catalog(hall=hall, exam_post=exam, aid_post=aid, xena=xena, admin=admin)

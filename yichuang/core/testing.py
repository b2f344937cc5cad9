"""Named personas shared by the tests of every app.

- alice: window clerk of 教务处, holder (A) of post jwc-status
- bob: alice's backup (B1) in 教务处
- carol: head of 教务处
- dave: window clerk of 学生处, who must see nothing of 教务处
- olga: hall office supervisor (sees every department)
- rita: reviewer (second check in every department)
"""

from dataclasses import dataclass

PASSWORD = "test-pass-123"


@dataclass
class Hall:
    jwc: object
    xsc: object
    window: object
    post: object
    alice: object
    bob: object
    carol: object
    dave: object
    olga: object
    rita: object


def make_staff(username, department, *roles, full_name="", **extra):
    from yichuang.org.models import RoleGrant, Staff

    staff = Staff.objects.create_user(
        username=username,
        password=PASSWORD,
        department=department,
        full_name=full_name or username,
        **extra,
    )
    for role in roles:
        RoleGrant.objects.create(staff=staff, role=role)
    return staff


def make_hall() -> Hall:
    from yichuang.org.models import Department, Post, PostBackup, Window

    jwc = Department.objects.create(code="jwc", name="教务处", short_name="教务", sort_order=1)
    xsc = Department.objects.create(code="xsc", name="学生处", short_name="学工", sort_order=2)
    alice = make_staff("alice", jwc, "window_staff", full_name="王晓燕")
    bob = make_staff("bob", jwc, "window_staff", full_name="刘洋")
    carol = make_staff("carol", jwc, "department_head", full_name="张卫国")
    dave = make_staff("dave", xsc, "window_staff", full_name="陈思远")
    olga = make_staff("olga", None, "hall_office", full_name="李敏")
    rita = make_staff("rita", None, "reviewer", full_name="赵蕾")
    window = Window.objects.create(number="1", name="学籍成绩", department=jwc)
    post = Post.objects.create(
        code="jwc-status",
        name="学籍管理岗",
        department=jwc,
        window=window,
        holder=alice,
        duties="学籍异动、在读证明",
        commitment="即到即办，限时办结",
    )
    PostBackup.objects.create(post=post, staff=bob, position=1)
    return Hall(
        jwc=jwc,
        xsc=xsc,
        window=window,
        post=post,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        olga=olga,
        rita=rita,
    )


# Real, minimal files of each kind an applicant may upload (the upload checks parse them).


def pdf_bytes(pages: int = 1) -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (16, 16)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def docx_bytes() -> bytes:
    """The smallest Word document Word itself opens: content types, relationships, one part."""
    import zipfile
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>申请表</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "自评表"
    out = BytesIO()
    book.save(out)
    return out.getvalue()

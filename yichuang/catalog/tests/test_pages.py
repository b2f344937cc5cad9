import re

import pytest
from django.test import Client

from yichuang.catalog.models import Service
from yichuang.catalog.queries import service_version
from yichuang.catalog.services import save_service, set_service_active
from yichuang.catalog.validation import ServiceData
from yichuang.core.testing_files import pdf_bytes

from .factories import committed_data, dump_catalogue, make_service

pytestmark = pytest.mark.django_db


def form_data(service: Service | None, hall, **changes) -> dict:
    """What the edit form posts for `service` (or a new item), with `changes` applied."""
    if service is not None:
        values = {
            f: getattr(service, f)
            for f in ["name", "category", "kind", "legal_days", "committed_days", "basis"]
            + ["conditions", "fees", "fee_basis", "location", "hours", "phones"]
            + ["complaint_phone", "online"]
        }
        values.update(department=service.department_id, post=service.post_id)
        materials = list(service.materials.all())
        steps = list(service.steps.all())
    else:
        values = {"code": "new-item", "name": "新事项", "kind": "immediate", "legal_days": 1}
        values.update(committed_days=0, basis="依据", fees="不收费")
        values.update(department=hall.jwc.pk, post=hall.post.pk, online=False)
        materials, steps = [], []
    values.update(changes)
    post = {k: v for k, v in values.items() if k not in ("online", "materials", "steps")}
    if values.get("online"):
        post["online"] = "on"
    rows = values.get("materials", [(m.pk, m.name, m.required, m.condition) for m in materials])
    post.update(
        {
            "materials-TOTAL_FORMS": len(rows),
            "materials-INITIAL_FORMS": sum(1 for r in rows if r[0]),
            "materials-MIN_NUM_FORMS": 0,
            "materials-MAX_NUM_FORMS": 1000,
        }
    )
    for i, (pk, name, required, condition) in enumerate(rows):
        post.update(
            {
                f"materials-{i}-id": pk or "",
                f"materials-{i}-position": i + 1,
                f"materials-{i}-name": name,
                f"materials-{i}-condition": condition,
                f"materials-{i}-originals": 1,
                f"materials-{i}-copies": 0,
                f"materials-{i}-format": "paper",
                f"materials-{i}-notes": "",
            }
        )
        if required:
            post[f"materials-{i}-required"] = "on"
    post.update(
        {
            "steps-TOTAL_FORMS": len(steps),
            "steps-INITIAL_FORMS": len(steps),
            "steps-MIN_NUM_FORMS": 0,
            "steps-MAX_NUM_FORMS": 1000,
        }
    )
    for i, s in enumerate(steps):
        post.update(
            {
                f"steps-{i}-id": s.pk,
                f"steps-{i}-position": s.position,
                f"steps-{i}-title": s.title,
                f"steps-{i}-description": s.description,
            }
        )
    return post


def test_list_needs_login(cat):
    response = Client().get("/catalog/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_items_with_kind_and_online_badges(cat, client_for):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    response = client_for(cat.hall.alice).get("/catalog/")
    html = response.content.decode()
    assert response.status_code == 200 and response.context["nav"] == "catalog"
    assert "成绩证明" in html and "学籍异动（休学/复学）" in html
    assert '<span class="badge immediate">即办件</span>' in html
    assert '<span class="badge committed">承诺件</span>' in html
    assert "badge online" in html
    assert 'hx-trigger="input changed delay:200ms' in html
    assert "新增事项" not in html  # a clerk does not edit the catalogue


def test_search_as_you_type_returns_the_fragment(cat, client_for):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    response = client_for(cat.hall.dave).get("/catalog/?q=cjzm", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "成绩证明" in html and "学籍异动" not in html
    filtered = client_for(cat.hall.dave).get("/catalog/?department=xsc").content.decode()
    assert "成绩证明" not in filtered


def test_list_queries_do_not_grow_with_the_catalogue(
    cat, client_for, django_assert_max_num_queries
):
    client = client_for(cat.hall.olga)
    make_service(cat.hall)
    with django_assert_max_num_queries(10) as few:
        client.get("/catalog/")
    for i in range(8):
        make_service(cat.hall, code=f"item-{i}", name=f"事项{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/catalog/")


def test_detail_shows_the_sheet_and_history(cat, client_for):
    make_service(cat.hall)
    html = client_for(cat.hall.carol).get("/catalog/transcript/").content.decode()
    assert "一次性告知单" in html and "授权委托书" in html and "委托他人代办时" in html
    assert "编辑事项" in html and "版本历史" in html
    assert "编辑事项" not in client_for(cat.hall.alice).get("/catalog/transcript/").content.decode()


def test_public_sheet_needs_no_login_and_lists_everything_to_bring(cat):
    make_service(cat.hall)
    response = Client().get("/catalog/transcript/sheet/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "成绩证明",
        "教务处",
        "学籍管理岗",
        "行政楼一楼师生服务大厅 1 号窗口",
        "工作日 8:30-11:30",
        "学生证或校园卡",
        "复印件正反面",
        "视情形提交：委托他人代办时",
        "法定时限",
        "5 个工作日",
        "即来即办",
        "《普通高等学校学生管理规定》",
        "不收费",
        "0571-8720 6101",
        "0571-8720 6000",
        "可网上申报",
        "核验身份",
        "第 1 版",
        "<svg",
        "catalog/catalog.css",
    ]:
        assert text in html, text


def test_an_old_version_sheet_shows_what_was_published_then(cat):
    service = make_service(cat.hall)
    data = ServiceData.from_service(service)
    data.materials[0].name = "校园一卡通"
    save_service(data, by=cat.hall.olga, service=service)
    old = Client().get("/catalog/transcript/v1/sheet/").content.decode()
    new = Client().get("/catalog/transcript/sheet/").content.decode()
    assert "学生证或校园卡" in old and "历史版本" in old
    assert "校园一卡通" in new and "学生证或校园卡" not in new
    assert Client().get("/catalog/transcript/v9/sheet/").status_code == 404


def test_withdrawn_items_have_no_public_sheet(cat):
    service = make_service(cat.hall)
    set_service_active(service, active=False, by=cat.hall.olga)
    assert Client().get("/catalog/transcript/sheet/").status_code == 404
    assert Client().get("/catalog/transcript/sheet.pdf").status_code == 404


def test_sheet_pdf_embeds_the_chinese_font(cat):
    make_service(cat.hall)
    response = Client().get("/catalog/transcript/sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"WenQuanYi" in response.content
    assert b"FontFile2" in response.content  # embedded, not merely named


def test_head_edits_an_item_and_a_new_version_is_published(cat, client_for):
    service = make_service(cat.hall)
    post = form_data(service, cat.hall, legal_days=3, note="缩短法定时限")
    response = client_for(cat.hall.carol).post("/catalog/transcript/edit/", post)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.version == 2 and service.legal_days == 3
    assert service_version(service, 2).note == "缩短法定时限"


def test_invalid_edit_is_refused_with_a_message_and_changes_nothing(cat, client_for):
    service = make_service(cat.hall)
    before = dump_catalogue()
    post = form_data(service, cat.hall, kind="committed", legal_days=2, committed_days=5)
    response = client_for(cat.hall.carol).post("/catalog/transcript/edit/", post)
    assert response.status_code == 400
    assert "承诺时限不能超过法定时限" in response.content.decode()
    no_materials = form_data(service, cat.hall, materials=[])
    response = client_for(cat.hall.carol).post("/catalog/transcript/edit/", no_materials)
    assert response.status_code == 400 and "至少需要一项申请材料" in response.content.decode()
    assert dump_catalogue() == before


def test_hall_office_creates_an_item(cat, client_for):
    post = form_data(None, cat.hall, materials=[(None, "申请表", True, "")])
    response = client_for(cat.hall.olga).post("/catalog/new/", post)
    assert response.status_code == 302
    created = Service.objects.get(code="new-item")
    assert created.version == 1 and created.pinyin_initials == "xsx"


def test_it_validates_ownership(cat, client_for):
    """Only the item's department head and the hall office may edit, publish or withdraw."""
    service = make_service(cat.hall)
    before = dump_catalogue()
    for intruder in (cat.xena, cat.hall.alice, cat.hall.dave):
        client = client_for(intruder)
        assert client.get("/catalog/transcript/edit/").status_code == 403
        post = form_data(service, cat.hall, name="被篡改")
        assert client.post("/catalog/transcript/edit/", post).status_code == 403
        client.post("/catalog/transcript/active/", {"active": "0"})
        client.post("/catalog/transcript/publish/", {"note": "x"})
    assert client_for(cat.hall.alice).get("/catalog/new/").status_code == 403
    assert dump_catalogue() == before
    assert client_for(cat.hall.carol).get("/catalog/transcript/edit/").status_code == 200
    # A head's form offers only her own department.
    form = client_for(cat.xena).get("/catalog/new/").context["form"]
    assert list(form.fields["department"].queryset) == [cat.hall.xsc]


def test_publish_action_reissues_after_the_department_moves(cat, client_for):
    make_service(cat.hall, location="")
    cat.hall.jwc.location = "新行政楼 203"
    cat.hall.jwc.save()
    client = client_for(cat.hall.olga)
    client.post("/catalog/transcript/publish/", {"note": "部门搬迁"})
    assert Service.objects.get(code="transcript").version == 2
    response = client.post("/catalog/transcript/publish/", {"note": "again"}, follow=True)
    assert "无需发布新版本" in response.content.decode()


def test_withdraw_and_restore(cat, client_for):
    make_service(cat.hall)
    client = client_for(cat.hall.carol)
    client.post("/catalog/transcript/active/", {"active": "0"})
    assert not Service.objects.get(code="transcript").is_active
    client.post("/catalog/transcript/active/", {"active": "1"})
    assert Service.objects.get(code="transcript").is_active


@pytest.mark.parametrize("url", ["/catalog/export.xlsx", "/catalog/import/"])
def test_only_the_hall_office_exchanges_the_catalogue_in_excel(cat, client_for, url):
    make_service(cat.hall)
    for refused in (cat.hall.carol, cat.hall.alice, cat.xena):
        assert client_for(refused).get(url).status_code == 403
    assert client_for(cat.hall.olga).get(url).status_code == 200
    assert client_for(cat.admin).get(url).status_code == 200


def test_export_download_is_a_workbook(cat, client_for):
    make_service(cat.hall)
    response = client_for(cat.hall.olga).get("/catalog/export.xlsx")
    assert response.content[:2] == b"PK"
    assert re.search(r"attachment; filename\*=utf-8''", response["Content-Disposition"])


def test_a_sample_form_can_be_attached_but_not_a_web_page(cat, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    service = make_service(cat.hall)
    client = client_for(cat.hall.carol)
    post = form_data(service, cat.hall)
    post["materials-0-sample"] = SimpleUploadedFile("x.html", b"<script>alert(1)</script>")
    assert client.post("/catalog/transcript/edit/", post).status_code == 400
    post = form_data(service, cat.hall)
    post["materials-0-sample"] = SimpleUploadedFile("伪装.pdf", b"%PDF-1.4\n<html><script>")
    r = client.post("/catalog/transcript/edit/", post)
    assert r.status_code == 400 and "样表“伪装.pdf”不是有效的" in r.content.decode()
    post = form_data(service, cat.hall)
    post["materials-0-sample"] = SimpleUploadedFile("申请表样表.pdf", pdf_bytes())
    assert client.post("/catalog/transcript/edit/", post).status_code == 302
    assert service_version(service, 2).snapshot["materials"][0]["sample"].endswith(".pdf")
    assert "样表" in Client().get("/catalog/transcript/sheet/").content.decode()

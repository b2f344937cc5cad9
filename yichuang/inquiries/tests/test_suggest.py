"""Issue 16 §4: one suggestion service for free questions — the API, the three pages that show
it (inquiry logging, the portal's search box, online consultation), the hall office's synonym
list, and an index that follows the catalogue without a restart."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yichuang.catalog.models import Service
from yichuang.catalog.services import save_service, set_service_active
from yichuang.catalog.validation import ServiceData
from yichuang.core.audit_record import AuditEvent
from yichuang.core.errors import NotAllowed
from yichuang.inquiries import suggest_index
from yichuang.inquiries.models import FaqEntry, Synonym
from yichuang.inquiries.suggest import suggest
from yichuang.inquiries.synonyms import delete_synonym, save_synonym
from yichuang.org import services as org

from .factories import faq_entry

pytestmark = pytest.mark.django_db

LOST_CARD = "我的学生证丢了怎么补办"


def api(q, client=None, **extra):
    return (client or Client()).get("/api/v1/suggest", {"q": q, **extra})


# The API ----------------------------------------------------------------------------------


def test_api_routes_a_free_question_to_the_service_faq_and_post_best_first(demo_catalogue):
    r = api(LOST_CARD)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"services", "faq", "posts"}
    first = body["services"][0]
    assert {k: first[k] for k in ("code", "name", "department")} == {
        "code": "xsc-card-reissue",
        "name": "学生证补办",
        "department": "xsc",
    }
    scores = [s["score"] for s in body["services"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert "学生证" in first["matched"] and "丢了→补办/遗失" in first["matched"]
    post = body["posts"][0]
    assert (post["code"], post["name"], post["covering"]) == (
        "xsc-card",
        "学生证与户籍岗",
        "陈思远",
    )
    assert all(set(p) >= {"code", "name", "covering"} for p in body["posts"])


def test_the_public_answer_names_who_is_on_duty_as_the_board_does_never_a_login_name(
    demo_catalogue,
):
    """GET /suggest is public: a post's `covering` is the staff member's name as the public
    duty board (/board/, portal/board.html) shows it — display_name — never the username
    they sign in with; the B岗 covering likewise."""
    hall = demo_catalogue
    r = api(LOST_CARD)
    post = r.json()["posts"][0]
    assert post["code"] == "xsc-card" and post["covering"] == hall.dave.display_name == "陈思远"
    assert '"dave"' not in r.content.decode()
    org.set_presence(
        hall.dave, status="leave", until=timezone.now() + timedelta(days=1), by=hall.dave
    )
    assert api(LOST_CARD).json()["posts"][0]["covering"] == hall.bob.display_name == "刘洋"


@pytest.mark.parametrize(
    "question, service",
    [
        ("差旅费怎么报销", "cwc-travel"),
        ("宿舍灯坏了", "hqc-dorm-repair"),
        ("xsz丢了", "xsc-card-reissue"),
    ],
)
def test_the_issues_examples_are_answered(demo_catalogue, question, service):
    assert api(question).json()["services"][0]["code"] == service


def test_covering_follows_presence_through_the_ab_backup(demo_catalogue):
    hall = demo_catalogue
    org.set_presence(
        hall.dave, status="leave", until=timezone.now() + timedelta(days=1), by=hall.dave
    )
    assert api(LOST_CARD).json()["posts"][0]["covering"] == "刘洋"  # bob
    org.set_presence(
        hall.bob, status="meeting", until=timezone.now() + timedelta(hours=1), by=hall.bob
    )
    assert api(LOST_CARD).json()["posts"][0]["covering"] is None


def test_the_public_answer_leaves_out_internal_faq(demo_catalogue):
    hall = demo_catalogue
    faq_entry(
        hall,
        question="学生证补办的内部口径",
        answer="仅内部",
        keywords="学生证 补办",
        is_public=False,
    )
    assert "学生证补办的内部口径" not in [f["question"] for f in api(LOST_CARD).json()["faq"]]
    staff_view = suggest(LOST_CARD, public=False)
    assert "学生证补办的内部口径" in [h.data["question"] for h in staff_view.faq]


@pytest.mark.parametrize(
    "q, code", [("", "query_required"), ("   ", "query_required"), ("问" * 201, "query_too_long")]
)
def test_api_refuses_an_empty_or_overlong_question(demo_catalogue, q, code):
    before = AuditEvent.objects.count()
    r = api(q)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert AuditEvent.objects.count() == before


def test_api_without_q_is_a_400(demo_catalogue):
    r = Client().get("/api/v1/suggest")
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_required"


def test_a_question_nothing_matches_answers_empty_lists(demo_catalogue):
    assert api("今天天气").json() == {"services": [], "faq": [], "posts": []}


def test_api_is_rate_limited_per_address(demo_catalogue, settings):
    settings.SUGGEST_RATE = "3/h"  # an hour's window: the test never straddles two
    assert [api("宿舍灯坏了").status_code for _i in range(3)] == [200, 200, 200]
    r = api("宿舍灯坏了")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert api("宿舍灯坏了", client=other).status_code == 200


def test_openapi_declares_the_suggestion_and_its_errors(db):
    operation = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/suggest"]["get"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    assert "401" not in operation["responses"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("SuggestOut")


# The pages ---------------------------------------------------------------------------------


def test_inquiry_logging_suggests_services_faq_and_posts_with_matched_words(
    demo_catalogue, client_for
):
    c = client_for(demo_catalogue.alice)
    assert 'hx-get="/inquiries/faq/suggest/"' in c.get("/inquiries/new/").content.decode()
    r = c.get("/inquiries/faq/suggest/", {"matter": LOST_CARD}, headers={"HX-Request": "true"})
    html = r.content.decode()
    assert "<html" not in html and "常见问题中没有相近的问题" not in html
    assert (
        "学生证补办" in html
        and "<mark>学生证</mark>" in html
        and "<mark>丢了→补办/遗失</mark>" in html
    )
    assert 'data-pick-post="xsc-card"' in html and "当前在岗：陈思远" in html
    assert 'data-pick-service="xsc-card-reissue"' in html
    assert "没有相近的问题" in c.get("/inquiries/faq/suggest/", {"q": "今天天气"}).content.decode()


def test_the_portal_search_box_routes_a_free_question(demo_catalogue):
    html = Client().get("/services/", {"q": LOST_CARD}).content.decode()
    assert "您可能要找" in html and 'href="/services/xsc-card-reissue/"' in html
    assert "<mark>学生证</mark>" in html and "学生证与户籍岗" in html
    assert "data-pick-post" not in html and "插入答复" not in html
    fragment = Client().get("/services/", {"q": "宿舍灯坏了"}, headers={"HX-Request": "true"})
    assert "宿舍维修" in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_online_consultation_suggests_as_the_person_types_without_inline_script(demo_catalogue):
    page = Client().get("/inquiries/ask/").content.decode()
    assert 'hx-get="/inquiries/suggest/"' in page and 'id="ask-suggestions"' in page
    assert "<script>" not in page and "onclick" not in page
    r = Client().get(
        "/inquiries/suggest/", {"matter": "报销差旅要啥材料"}, headers={"HX-Request": "true"}
    )
    html = r.content.decode()
    assert r.status_code == 200 and "差旅费报销" in html and "<mark>差旅</mark>" in html
    assert 'href="/services/cwc-travel/"' in html and "data-insert" not in html


def test_the_consultation_suggestions_are_rate_limited_with_a_message(demo_catalogue, settings):
    settings.SUGGEST_RATE = "1/h"
    Client().get("/inquiries/suggest/", {"matter": "宿舍灯坏了"})
    html = Client().get("/inquiries/suggest/", {"matter": "宿舍灯坏了"}).content.decode()
    assert "查询过于频繁" in html and "宿舍维修" not in html


# The synonym list ----------------------------------------------------------------------------


def test_a_hall_office_synonym_changes_what_a_question_finds(demo_catalogue, client_for):
    hall = demo_catalogue
    question = "挂科了想看看卷子"
    assert "jwc-exam-recheck" not in [h.key for h in suggest(question).services]
    c = client_for(hall.olga)
    assert c.get("/inquiries/synonyms/").status_code == 200
    r = c.post(
        "/inquiries/synonyms/new/",
        {"phrases": "挂科，看卷子", "terms": "成绩复核", "is_active": "on"},
    )
    assert r.status_code == 302
    synonym = Synonym.objects.get(phrases="挂科 看卷子")
    assert synonym.updated_by == hall.olga
    assert AuditEvent.objects.filter(action="synonym.created").exists()
    found = suggest(question)
    assert found.services[0].key == "jwc-exam-recheck"
    assert "挂科→成绩复核" in found.services[0].matched
    delete_synonym(synonym, by=hall.olga)
    assert "jwc-exam-recheck" not in [h.key for h in suggest(question).services]
    assert AuditEvent.objects.filter(action="synonym.deleted").exists()


def test_only_the_hall_office_keeps_the_synonyms(demo_catalogue, client_for):
    hall = demo_catalogue
    count = Synonym.objects.count()
    for who in (hall.carol, hall.alice):
        c = client_for(who)
        assert c.get("/inquiries/synonyms/").status_code == 403
        post = c.post("/inquiries/synonyms/new/", {"phrases": "挂科", "terms": "成绩复核"})
        assert post.status_code == 403
        line = Synonym.objects.first()
        assert c.post(f"/inquiries/synonyms/{line.pk}/delete/").status_code == 403
        with pytest.raises(NotAllowed):
            save_synonym(by=who, phrases="挂科", terms="成绩复核")
    assert Synonym.objects.count() == count
    assert "引导同义词" not in client_for(hall.carol).get("/inquiries/").content.decode()
    assert "引导同义词" in client_for(hall.olga).get("/inquiries/").content.decode()


def test_a_synonym_needs_both_sides(demo_catalogue, client_for):
    c = client_for(demo_catalogue.olga)
    r = c.post("/inquiries/synonyms/new/", {"phrases": "   ", "terms": "成绩复核"})
    assert r.status_code == 200 and not Synonym.objects.filter(terms="成绩复核").exists()


# The index -----------------------------------------------------------------------------------


def test_the_index_is_kept_until_something_indexed_changes(demo_catalogue):
    suggest("宿舍灯坏了")
    kept = suggest_index.current()
    suggest("差旅费怎么报销")
    assert suggest_index.current() is kept
    faq_entry(
        demo_catalogue, question="饭卡丢了去哪挂失？", answer="到一卡通中心挂失。", keywords="饭卡"
    )
    assert suggest_index.current() is not kept
    assert suggest("饭卡丢了").faq[0].data["question"] == "饭卡丢了去哪挂失？"


def test_a_service_change_is_found_by_the_next_question(demo_catalogue):
    question = "想办一张校园卡"
    assert "xsc-card-reissue" not in [h.key for h in suggest(question).services]
    service = Service.objects.get(code="xsc-card-reissue")
    data = ServiceData.from_service(service)
    data.keywords = data.keywords + " 校园卡"
    save_service(data, by=None, service=service)
    assert suggest(question).services[0].key == "xsc-card-reissue"
    set_service_active(service, active=False, by=None)
    assert "xsc-card-reissue" not in [h.key for h in suggest(question).services]


def test_a_faq_entry_switched_off_is_no_longer_suggested(demo_catalogue):
    entry = FaqEntry.objects.get(question="大厅的办公时间是什么？")
    assert suggest("大厅几点上班").faq[0].key == entry.pk
    from yichuang.inquiries.faq import save_faq_entry

    save_faq_entry(
        by=demo_catalogue.olga,
        entry=entry,
        department=entry.department,
        question=entry.question,
        answer=entry.answer,
        is_active=False,
    )
    assert entry.pk not in [h.key for h in suggest("大厅几点上班").faq]


def test_a_worker_loads_no_segmenter_until_the_first_question():
    """jieba and bm25s cost a worker memory (issue 18): importing every URL and API module
    must not load them."""
    code = (
        "import django, sys; django.setup(); import yichuang.urls, yichuang.api;"
        "print(sorted(m for m in ('jieba', 'bm25s', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "yichuang.settings"},
    )
    assert out.stdout.strip() == "[]"

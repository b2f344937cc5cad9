from io import BytesIO

import pytest
from openpyxl import load_workbook

from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.feedback import services
from yichuang.feedback.charts import bar_chart
from yichuang.feedback.models import Survey, SurveyResponse
from yichuang.feedback.results import results_workbook, survey_results

pytestmark = pytest.mark.django_db

QUESTIONS = """
[单选] 您对大厅环境是否满意？ | 满意 | 一般 | 不满意
[多选] 您从哪些渠道了解办事指南？ | 网站 | 公众号 | 窗口
[评分] 工作人员的服务态度
[填空] 您的其他意见和建议（选答）
"""


@pytest.fixture
def survey(hall):
    return services.create_survey(title="2026年春季满意度调查", questions=QUESTIONS, by=hall.olga)


PHONES = iter(f"139{n:08d}" for n in range(10**6))


def answer(survey, single, multiple, level, text="", phone=None, invitation=""):
    q = {x.position: x for x in survey.questions.prefetch_related("choices")}
    choice = {(x.position, c.text): str(c.pk) for x in q.values() for c in x.choices.all()}
    return services.submit_survey(
        survey,
        phone=next(PHONES) if phone is None else phone,
        invitation=invitation,
        answers={
            str(q[1].pk): choice[(1, single)],
            str(q[2].pk): [choice[(2, m)] for m in multiple],
            str(q[3].pk): str(level),
            str(q[4].pk): text,
        },
    )


def test_questions_are_written_as_lines(hall, survey):
    questions = list(survey.questions.all())
    assert [q.kind for q in questions] == ["single", "multiple", "rating", "text"]
    assert [q.required for q in questions] == [True, True, True, False]
    assert [c.text for c in questions[0].choices.all()] == ["满意", "一般", "不满意"]


@pytest.mark.parametrize(
    "text", ["", "没有类型的题", "[单选] 只有一个选项 | 是", "[判断] 题目 | 是 | 否", "[填空]  "]
)
def test_bad_questions_are_refused_with_the_line(hall, text):
    with pytest.raises(Invalid):
        services.create_survey(title="问卷", questions=text, by=hall.olga)
    assert not Survey.objects.exists()


def test_only_the_office_and_heads_for_their_department_keep_surveys(hall):
    with pytest.raises(NotAllowed):
        services.create_survey(title="问卷", questions="[评分] 态度", by=hall.alice)
    with pytest.raises(NotAllowed):
        services.create_survey(title="问卷", questions="[评分] 态度", by=hall.carol)
    s = services.create_survey(
        title="教务处问卷", questions="[评分] 态度", department=hall.jwc, by=hall.carol
    )
    assert list(Survey.objects.visible_to(hall.carol)) == [s]
    assert not Survey.objects.visible_to(hall.dave).exists()


def test_answers_are_anonymous_and_validated(hall, survey):
    answer(survey, "满意", ["网站", "窗口"], 5, "希望增加座椅")
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    # nothing about the respondent but what keeps it one answer each
    assert fields == {"id", "survey", "submitted_at", "answers", "invitation", "respondent_key"}
    assert "13900000000" not in str(SurveyResponse.objects.values_list().get())
    with pytest.raises(Invalid):
        services.submit_survey(survey, answers={}, phone="13812345678")
    q1 = survey.questions.get(position=1)
    other = survey.questions.get(position=2).choices.first()
    with pytest.raises(Invalid):  # an option of another question
        answer_map = {str(q1.pk): str(other.pk)}
        services.submit_survey(survey, answers=answer_map, phone="13812345678")
    services.set_survey_open(survey, is_open=False, by=hall.olga)
    with pytest.raises(Conflict):
        answer(survey, "一般", ["网站"], 3)
    assert SurveyResponse.objects.count() == 1


def test_results_count_each_option_and_average_the_ratings(hall, survey):
    answer(survey, "满意", ["网站", "窗口"], 5, "希望增加座椅")
    answer(survey, "满意", ["网站"], 4)
    answer(survey, "不满意", ["公众号"], 2, "叫号太慢")
    results = survey_results(survey)
    assert results["responses"] == 3
    single, multiple, rating, text = results["questions"]
    assert single["rows"] == [("满意", 2), ("一般", 0), ("不满意", 1)]
    assert multiple["rows"] == [("网站", 2), ("公众号", 1), ("窗口", 1)]
    assert rating["average"] == round(11 / 3, 2)
    assert dict(rating["rows"])["满意"] == 1 and dict(rating["rows"])["不满意"] == 1
    assert sorted(text["texts"]) == ["叫号太慢", "希望增加座椅"] and text["answered"] == 2


def test_excel_export_has_a_summary_and_one_row_per_response(hall, survey):
    answer(survey, "满意", ["网站", "窗口"], 5, "希望增加座椅")
    answer(survey, "一般", ["公众号"], 3)
    wb = load_workbook(BytesIO(results_workbook(survey, by=hall.olga).content))
    summary = [row for row in wb["汇总"].iter_rows(values_only=True)]
    assert (1, "您对大厅环境是否满意？", "单选", "满意", 1, 0.5) in summary
    responses = list(wb["答卷"].iter_rows(values_only=True))
    assert len(responses) == 3 and responses[1][3] == "网站；窗口"


def test_charts_are_inline_svg_with_escaped_labels():
    svg = str(bar_chart([("<script>", 3), ("满意", 1)], title="t"))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "3（75%）" in svg


def test_an_open_survey_takes_one_answer_per_phone_number(hall, survey):
    answer(survey, "满意", ["网站"], 5, phone="13812345678")
    with pytest.raises(Conflict) as exc:
        answer(survey, "不满意", ["网站"], 1, phone="138 1234 5678")
    assert exc.value.code == "already_answered" and "只能提交一次" in exc.value.message
    with pytest.raises(Invalid):  # no number, or not a phone number
        answer(survey, "满意", ["网站"], 5, phone="")
    with pytest.raises(Invalid):
        answer(survey, "满意", ["网站"], 5, phone="12345")
    answer(survey, "一般", ["窗口"], 3, phone="13900001111")
    assert SurveyResponse.objects.count() == 2
    # the same number may answer another survey; its key there is a different one
    other = services.create_survey(title="另一问卷", questions=QUESTIONS, by=hall.olga)
    answer(other, "满意", ["网站"], 5, phone="13812345678")
    keys = set(SurveyResponse.objects.values_list("respondent_key", flat=True))
    assert len(keys) == 3


def test_a_survey_by_invitation_takes_one_answer_per_link(hall):
    from yichuang.feedback.models import SurveyInvitation

    survey = services.create_survey(
        title="回访问卷", questions=QUESTIONS, access="invitation", by=hall.olga
    )
    with pytest.raises(NotAllowed):
        services.invite_to_survey(survey, count=3, by=hall.alice)
    with pytest.raises(Invalid):
        services.invite_to_survey(survey, count=0, by=hall.olga)
    first, second = services.invite_to_survey(survey, count=2, by=hall.olga)
    with pytest.raises(NotFound):  # the open link alone answers nothing
        answer(survey, "满意", ["网站"], 5)
    with pytest.raises(NotFound):
        answer(survey, "满意", ["网站"], 5, invitation="not-a-token")
    answer(survey, "满意", ["网站"], 5, invitation=first.token)
    with pytest.raises(Conflict) as exc:
        answer(survey, "不满意", ["网站"], 1, invitation=first.token)
    assert exc.value.code == "already_answered"
    answer(survey, "一般", ["窗口"], 3, invitation=second.token)
    assert SurveyResponse.objects.count() == 2
    assert SurveyInvitation.objects.filter(used_at__isnull=True).count() == 0
    open_survey = services.create_survey(title="公开", questions=QUESTIONS, by=hall.olga)
    with pytest.raises(Conflict):
        services.invite_to_survey(open_survey, count=1, by=hall.olga)


def test_the_api_refuses_a_second_answer_with_409_and_limits_the_rate(hall, survey, settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    settings.FEEDBACK_SURVEY_RATE = "2/10m"
    q = {x.position: x for x in survey.questions.prefetch_related("choices")}
    body = {
        "answers": {
            str(q[1].pk): str(q[1].choices.first().pk),
            str(q[2].pk): [str(q[2].choices.first().pk)],
            str(q[3].pk): "4",
        },
        "phone": "13812345678",
    }
    url = f"/api/v1/surveys/{survey.token}/responses"
    r = Client().post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    r = Client().post(url, body, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_answered"
    r = Client().post(url, {**body, "phone": "13900000001"}, content_type="application/json")
    assert r.status_code == 429 and SurveyResponse.objects.count() == 1
    assert (
        Client()
        .post("/api/v1/surveys/nope/responses", body, content_type="application/json")
        .status_code
        == 404
    )
    cache.clear()

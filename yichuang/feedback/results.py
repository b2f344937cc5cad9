"""Survey results: counts aggregated in the database, per question, and the same as an Excel
workbook (a summary sheet and one row per anonymous response)."""

from collections import defaultdict
from io import BytesIO

from django.db.models import Avg, Count
from django.http import HttpResponse
from django.utils import timezone

from yichuang.core import audit
from yichuang.core.excel import append

from .models import Level, QuestionKind, SurveyAnswer

# Lazy: each page reads them in its own language.
LEVEL_LABELS = {int(v): label for v, label in Level.choices}


def survey_results(survey) -> dict:
    questions = list(survey.questions.prefetch_related("choices"))
    answers = SurveyAnswer.objects.filter(question__survey=survey)
    choice_counts = dict(
        answers.filter(choice__isnull=False)
        .values("choice_id")
        .annotate(n=Count("id"))
        .values_list("choice_id", "n")
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, level, n in (
        answers.filter(level__isnull=False)
        .values("question_id", "level")
        .annotate(n=Count("id"))
        .values_list("question_id", "level", "n")
    ):
        if level is not None:  # filtered above; the column is nullable
            levels[question_id][level] = n
    averages = dict(
        answers.filter(level__isnull=False)
        .values("question_id")
        .annotate(avg=Avg("level"))
        .values_list("question_id", "avg")
    )
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in answers.exclude(text="").values_list("question_id", "text"):
        texts[question_id].append(text)
    out = []
    for q in questions:
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            rows = [(c.text, choice_counts.get(c.pk, 0)) for c in q.choices.all()]
        elif q.kind == QuestionKind.RATING:
            rows = [(LEVEL_LABELS[n], levels[q.pk].get(n, 0)) for n in (5, 4, 3, 2, 1)]
        else:
            rows = []
        average = averages.get(q.pk)
        out.append(
            {
                "question": q,
                "answered": answered.get(q.pk, 0),
                "rows": rows,
                "average": round(average, 2) if average is not None else None,
                "texts": texts.get(q.pk, []),
            }
        )
    return {"responses": survey.responses.count(), "questions": out}


def results_workbook(survey, *, by) -> HttpResponse:
    from openpyxl import Workbook  # openpyxl loads with the first workbook

    results = survey_results(survey)
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    append(summary, [survey.title])
    append(summary, ["答卷数", results["responses"]])
    append(summary, [])
    append(summary, ["题号", "题目", "题型", "选项/等级", "人数", "占比"])
    for i, item in enumerate(results["questions"], start=1):
        q = item["question"]
        for label, count in item["rows"]:
            share = round(count / item["answered"], 4) if item["answered"] else None
            append(summary, [i, q.text, q.get_kind_display(), label, count, share])
        if item["average"] is not None:
            append(summary, [i, q.text, q.get_kind_display(), "平均分", item["average"], None])
        if q.kind == QuestionKind.TEXT:
            append(summary, [i, q.text, q.get_kind_display(), "作答人数", item["answered"], None])
    sheet = wb.create_sheet("答卷")
    questions = [item["question"] for item in results["questions"]]
    append(sheet, ["序号", "提交时间"] + [q.text for q in questions])
    by_response: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, choice, level, text in (
        SurveyAnswer.objects.filter(question__survey=survey)
        .order_by("response_id", "choice__position")
        .values_list("response_id", "question_id", "choice__text", "level", "text")
    ):
        value = choice or (str(level) if level else "") or text
        by_response[response_id][question_id].append(value)
    for n, response in enumerate(survey.responses.all(), start=1):
        cells = by_response.get(response.pk, {})
        append(
            sheet,
            [n, timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
            + ["；".join(cells.get(q.pk, [])) for q in questions],
        )
    buffer = BytesIO()
    wb.save(buffer)
    audit.record("feedback.survey_exported", actor=by, target=survey, summary=survey.title)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response

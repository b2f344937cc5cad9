"""Every export and document of the product, downloaded by each role that may and OPENED:
each workbook with openpyxl, each PDF with poppler's `pdftotext`, looking for a phrase it must
hold — so no export can break unseen (`/appraisal/figures.xlsx` once answered 500 for every
role). And no workbook holds a live formula: text beginning with = + - @ (here a survey answer,
a service name and a rectification) is written as text (core/excel.py).

A product-level test: it reads every app, so it lives above them all."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from yichuang.appraisal.services import generate_monthly_report
from yichuang.appraisal.tests.conftest import march  # noqa: F401  (fixture)
from yichuang.campaigns.models import Election, Rectification
from yichuang.campaigns.tests.test_reports import campaign  # noqa: F401  (fixture)
from yichuang.catalog.models import Service
from yichuang.feedback import services as feedback
from yichuang.feedback.models import QuestionKind, SurveyAnswer, SurveyResponse

pytestmark = pytest.mark.django_db
INJECTION = '=HYPERLINK("http://x","y")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def opened_workbook(response) -> list[str]:
    """The workbook's cells as text; fails on a live formula anywhere."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(body))
    cells = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                if cell.value is not None:
                    cells.append(str(cell.value))
    return cells


def opened_pdf(response, tmp_path) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / "doc.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return "".join(out.stdout.decode().split())


@pytest.fixture
def product(hall, march, campaign):  # noqa: F811
    """The March hall of the appraisal tests, a campaign with a counted election, a survey
    with an answer that looks like a formula, and a service whose name does too."""
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        report, _w = generate_monthly_report(month=date(2026, 3, 1), by=hall.olga)
    survey = feedback.create_survey(
        title="满意度调查", questions="[单选] 环境 | 好 | 差\n[填空] 建议", by=hall.olga
    )
    text_question = survey.questions.get(kind=QuestionKind.TEXT)
    response = SurveyResponse.objects.create(survey=survey)
    SurveyAnswer.objects.create(response=response, question=text_question, text=INJECTION)
    Service.objects.filter(code="cjd").update(name=INJECTION)
    Rectification.objects.update(description=INJECTION)
    return {
        "case": march.c1,
        "report": report,
        "survey": survey,
        "campaign": campaign,
        "election": Election.objects.get(campaign=campaign),
    }


def test_every_workbook_opens_for_each_role_and_holds_no_formula(hall, product, client_for):
    c, survey = product["campaign"], product["survey"]
    workbooks = {
        "/cases/ledger.xlsx": ([hall.alice, hall.carol, hall.olga, hall.rita], "办件编号"),
        "/catalog/export.xlsx": ([hall.olga], "事项编码"),
        "/appraisal/figures.xlsx?from=2026-03-01&to=2026-03-31": (
            [hall.olga, hall.rita, hall.carol],
            "差评整改率",
        ),
        f"/appraisal/reports/{product['report'].pk}.xlsx": (
            [hall.olga, hall.rita, hall.carol],
            "按时整改率",
        ),
        f"/feedback/surveys/{survey.pk}.xlsx": ([hall.olga], "满意度调查"),
        f"/campaigns/{c.pk}/summary.xlsx": ([hall.olga, hall.rita], "验收分"),
        f"/campaigns/elections/{product['election'].pk}/results.xlsx": ([hall.olga], "王晓燕"),
    }
    for url, (people, phrase) in workbooks.items():
        for person in people:
            cells = opened_workbook(client_for(person).get(url))
            assert any(phrase in cell for cell in cells), (url, person, phrase)
    # The formula-looking values are there, as text.
    for url in ("/cases/ledger.xlsx", f"/feedback/surveys/{survey.pk}.xlsx"):
        assert any(INJECTION in cell for cell in opened_workbook(client_for(hall.olga).get(url)))
    summary = client_for(hall.olga).get(f"/campaigns/{c.pk}/summary.xlsx")
    assert INJECTION in opened_workbook(summary)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_every_pdf_opens_for_each_role(hall, product, client_for, tmp_path):
    case, c = product["case"], product["campaign"]
    doc = case.documents.get(kind="acceptance")
    pdfs = {
        f"/cases/{case.number}/documents/{doc.pk}.pdf": (
            [client_for(hall.alice), client_for(hall.carol), client_for(hall.olga)],
            doc.number,
        ),
        f"/progress/{case.number}/documents/{doc.pk}.pdf?c={case.query_code}": (
            [Client()],
            doc.number,
        ),
        "/catalog/zxzm/sheet.pdf": ([Client()], "一次性告知"),
        "/catalog/zxzm/v1/sheet.pdf": ([Client()], "一次性告知"),
        f"/appraisal/reports/{product['report'].pk}.pdf": (
            [client_for(hall.olga), client_for(hall.rita), client_for(hall.carol)],
            "差评整改率",
        ),
        f"/campaigns/{c.pk}/summary.pdf": ([client_for(hall.olga), client_for(hall.rita)], "验收"),
    }
    for url, (clients, phrase) in pdfs.items():
        for client in clients:
            assert phrase in opened_pdf(client.get(url), tmp_path), (url, phrase)

"""The assessment (考评结果): figures and the panel's scores turned into points by the hall
office's scheme, per department, with a breakdown in which every point names its source.

Per department, each line rounded to 0.01 and the total is the sum of the lines:
- indicator (按期办结率, 满意率, 咨询按时答复率, 差评整改率): points × min(1, rate / target);
  a rate that is undefined (nothing completed, no ratings…) takes the full points — there
  is nothing to hold against the department.
- panel (民主评议): points × the mean of the evaluators' scores / 100; no score, no points.
- deductions: per overdue case (红灯), per upheld complaint, per bad rating; together at most
  the scheme's cap (a line gives the excess back).
- bonuses the hall office added, each with its reason.
Ranks are competition ranks: equal totals share a rank and the next rank is skipped."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from yichuang.org.models import Department

from .models import Appraisal, Bonus, PanelScore
from .periods import Period
from .queries import Figures, figures

CENT = Decimal("0.01")


def _d(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(value) -> str:
    return f"{Decimal(str(value)) * 100:.2f}%"


def _indicator(label, points, target, part, whole, rate, empty) -> dict:
    if rate is None:
        return _line("indicator", label, points, _("%(what)s，得满分") % {"what": empty}, points)
    earned = points * min(Decimal(1), Decimal(str(rate)) / target)
    basis = _("%(part)d / %(whole)d = %(rate)s，目标 %(target)s") % {
        "part": part,
        "whole": whole,
        "rate": _pct(rate),
        "target": _pct(target),
    }
    return _line("indicator", label, earned, basis, points)


def _line(kind, label, points, basis, max_points=None) -> dict:
    return {
        "kind": kind,
        "label": str(label),
        "basis": str(basis),
        "points": str(_d(points)),
        "max": str(_d(max_points)) if max_points is not None else "",
    }


def department_lines(scheme, f, panel: Mapping[str, Any] | None, bonuses: list) -> list[dict]:
    """The breakdown of one department from its figures `f`, its panel mean and bonuses."""
    s = scheme
    lines = [
        _indicator(
            _("按期办结率"),
            s.on_time_points,
            s.on_time_target,
            f.completed_on_time,
            f.completed,
            f.on_time_rate,
            _("本期无办结件"),
        ),
        _indicator(
            _("满意率"),
            s.satisfaction_points,
            s.satisfaction_target,
            f.rating_count - f.bad_ratings,
            f.rating_count,
            f.satisfaction_rate,
            _("本期无评价"),
        ),
        _indicator(
            _("咨询按时答复率"),
            s.inquiry_points,
            s.inquiry_target,
            f.inquiries_in_time,
            f.inquiries_answered,
            f.inquiry_in_time_rate,
            _("本期无答复的咨询"),
        ),
        _indicator(
            _("差评整改率"),
            s.rectification_points,
            s.rectification_target,
            f.follow_ups_rectified,
            f.follow_ups_opened,
            f.rectification_rate,
            _("本期无差评回访"),
        ),
    ]
    if panel and panel["n"]:
        mean = Decimal(str(panel["avg"]))
        basis = _("%(n)d 位评议员平均 %(mean)s 分") % {"n": panel["n"], "mean": _d(mean)}
        lines.append(
            _line("panel", _("民主评议"), s.panel_points * mean / 100, basis, s.panel_points)
        )
    else:
        lines.append(_line("panel", _("民主评议"), 0, _("尚无评议评分"), s.panel_points))
    deductions = [
        (_("超期（红灯）"), f.overdue, s.red_light_deduction),
        (_("属实投诉"), f.complaints_upheld, s.complaint_deduction),
        (_("差评"), f.bad_ratings, s.bad_rating_deduction),
    ]
    taken = Decimal(0)
    for label, count, each in deductions:
        if count and each:
            amount = _d(each * count)
            taken += amount
            basis = _("%(n)d 件 × %(each)s 分") % {"n": count, "each": _d(each)}
            lines.append(_line("deduction", label, -amount, basis))
    if s.max_deduction and taken > s.max_deduction:
        basis = _("扣分 %(taken)s 分，上限 %(cap)s 分") % {
            "taken": taken,
            "cap": _d(s.max_deduction),
        }
        lines.append(_line("cap", _("扣分封顶"), taken - s.max_deduction, basis))
    for bonus in bonuses:
        lines.append(_line("bonus", _("加分"), bonus.points, bonus.reason))
    return lines


def assess(appraisal: Appraisal, *, today=None) -> list[dict]:
    """Every department's total, rank and breakdown, best first."""
    period = Period(appraisal.date_from, appraisal.date_to)
    table = figures(period, group_by="department", today=today)
    panel = {
        row["department_id"]: row
        for row in PanelScore.objects.filter(appraisal=appraisal)
        .values("department_id")
        .annotate(avg=Avg("score"), n=Count("id"))
    }
    bonuses: dict[int, list] = {}
    for bonus in Bonus.objects.filter(appraisal=appraisal):
        bonuses.setdefault(bonus.department_id, []).append(bonus)
    results = []
    for department in Department.objects.all():
        lines = department_lines(
            appraisal.scheme,
            table.rows.get(department.pk) or Figures(),
            panel.get(department.pk),
            bonuses.get(department.pk, []),
        )
        total = sum((Decimal(line["points"]) for line in lines), Decimal(0))
        results.append(
            {
                "department_id": department.pk,
                "department": department.code,
                "name": department.name,
                "total": str(_d(total)),
                "lines": lines,
            }
        )
    return rank(results)


def rank(results: list[dict]) -> list[dict]:
    results.sort(key=lambda r: (-Decimal(r["total"]), r["department"]))
    for i, result in enumerate(results):
        same = i and results[i - 1]["total"] == result["total"]
        result["rank"] = results[i - 1]["rank"] if same else i + 1
    return results


def results_of(appraisal: Appraisal) -> list[dict]:
    """What the appraisal page shows: the kept results once closed, else computed now."""
    return appraisal.results if not appraisal.is_open else assess(appraisal)

"""The halls side by side (多厅对比): for the university's or the county's supervising office,
each hall's figures for the period — accepted, completed, on-time and satisfaction rates, red
and yellow lights now, the queue's tickets and waits — ranked by the on-time rate, then the
satisfaction rate. A hall office sees its own hall's row; nobody sees a hall they do not work
in. Two queries per source, whatever the number of halls."""

from django.contrib.auth.decorators import login_required

from yichuang.appointments.figures import hall_queues

from .. import permissions
from ..formatting import fmt
from ..queries import figures, labelled
from .common import page, period_of, presets, require


def _rank_key(line):
    _key, _label, f, _queue = line
    return (
        -(f.on_time_rate if f.on_time_rate is not None else -1),
        -(f.satisfaction_rate if f.satisfaction_rate is not None else -1),
    )


@login_required
def halls(request):
    user = request.user
    require(permissions.can_compare_halls(user))
    period = period_of(request)
    scope = permissions.scope_for(user)
    table = labelled(figures(period, scope=scope, group_by="site"))
    queues = hall_queues(user, date_from=period.start, date_to=period.end)
    lines = [
        (key, label, f, queues.get(key) or {})
        for key, label, f in table.lines()
        if key is not None  # cases of no post belong to no hall's row
    ]
    lines.sort(key=_rank_key)
    rows = [
        {
            "rank": i,
            "label": label,
            "accepted": f.accepted,
            "completed": f.completed,
            "on_time_rate": fmt(f.on_time_rate, "rate"),
            "satisfaction_rate": fmt(f.satisfaction_rate, "rate"),
            "red": f.red,
            "yellow": f.yellow,
            "issued": queue.get("issued", 0),
            "waiting": queue.get("waiting", 0),
            "avg_wait": fmt(queue.get("avg_wait_minutes"), "minutes"),
            "max_wait": fmt(queue.get("max_wait_minutes"), "minutes"),
        }
        for i, (_key, label, f, queue) in enumerate(lines, start=1)
    ]
    context = {"period": period, "presets": presets({}), "rows": rows}
    return page(request, "appraisal/halls.html", context, tab="halls")

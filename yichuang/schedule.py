"""The schedule of periodic jobs (settings.SCHEDULE), enqueued as tasks at their times by
`manage.py run_scheduler` (core/scheduler.py), which `make worker` starts. Times are the hall's
(TIME_ZONE). A job is one line: a name (its slot's key: keep it once jobs have run), when, and
a task that takes no arguments. Each task calls the same service function as its command.
Times: `every_minutes(n)`, `hourly(minute)`, `daily(hour, minute)`, `monthly(day, hour,
minute)`; e.g. `Job("sweep_outbox", every_minutes(1), sweep_outbox)`.
"""

from yichuang.appointments.tasks import send_appointment_reminders
from yichuang.appraisal.tasks import generate_monthly_report, refresh_figures
from yichuang.campaigns.tasks import send_campaign_reminders
from yichuang.core.outbound.tasks import sweep_outbound
from yichuang.core.scheduler import Job, daily, every_minutes, monthly
from yichuang.core.tasks import escalate
from yichuang.feedback.tasks import apply_default_ratings, draw_visit_sample

SCHEDULE = [
    Job("apply_default_ratings", daily(1, 0), apply_default_ratings),
    Job("escalate", daily(8, 0), escalate),  # office hours: the reminders go out by SMS too
    Job("send_campaign_reminders", daily(8, 30), send_campaign_reminders),
    Job("send_appointment_reminders", daily(18, 0), send_appointment_reminders),
    Job("generate_monthly_report", monthly(1, 2, 0), generate_monthly_report),
    Job("draw_visit_sample", monthly(1, 3, 0), draw_visit_sample),
    # The figures' daily summary (appraisal/summary.py): yesterday once the day is over, and
    # the days touched by late changes (counted from the rows meanwhile).
    Job("refresh_figures", every_minutes(10), refresh_figures),
    # Pushes to the provincial platform and webhooks keep their own retry state per message
    # (core/outbound): the sweep sends those whose time has come.
    Job("sweep_outbound", every_minutes(1), sweep_outbound),
]

"""The verbs of appointments and the queue, in one place for callers. They live in
`bookings` (appointments and extended hours), `tickets` (taking a ticket) and `calling`
(what a window does); views, API, commands and tests call them through here."""

from .bookings import (  # noqa: F401
    book_appointment,
    cancel_appointment,
    close_extended_hours,
    find_appointment,
    open_extended_hours,
    send_reminders,
)
from .calling import (  # noqa: F401
    call_next,
    current_ticket,
    finish,
    link_case,
    pause,
    recall,
    resume,
    skip,
    transfer,
)
from .tickets import check_in, find_ticket, issue_ticket, offered_priorities  # noqa: F401

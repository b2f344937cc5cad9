"""The verbs of campaigns and star-staff elections. Each: one permission check, validation,
one transaction, one record of it — a unit's steps run UNIT_FLOW (flows.py) and land in its
events, the rest write the audit record. Views, API, commands and the demo seed all call these."""

from .assessment import (
    apply_for_inspection,
    delete_evidence,
    extend_assessment_due,
    return_self_assessment,
    save_self_assessment,
    submit_self_assessment,
    upload_evidence,
)
from .ballots import cast_ballot, close_election, decide_tie, publish_election, roll_entry
from .campaigns import (
    close_campaign,
    copy_campaign,
    create_campaign,
    launch_campaign,
    update_campaign,
)
from .checklist import (
    add_item,
    add_section,
    delete_item,
    delete_section,
    update_item,
    update_section,
)
from .elections import (
    add_representatives,
    add_staff_voters,
    create_election,
    nominate,
    reissue_ballot_code,
    remove_voter,
    update_election,
    withdraw_nomination,
)
from .inspection import (
    close_rectification,
    open_rectification,
    reopen_rectification,
    report_rectification,
    score_inspection,
    sign_off,
)

__all__ = [
    "add_item",
    "add_representatives",
    "add_section",
    "add_staff_voters",
    "apply_for_inspection",
    "cast_ballot",
    "close_campaign",
    "close_election",
    "close_rectification",
    "copy_campaign",
    "create_campaign",
    "create_election",
    "decide_tie",
    "delete_evidence",
    "delete_item",
    "delete_section",
    "extend_assessment_due",
    "launch_campaign",
    "nominate",
    "open_rectification",
    "publish_election",
    "reissue_ballot_code",
    "remove_voter",
    "reopen_rectification",
    "report_rectification",
    "return_self_assessment",
    "roll_entry",
    "save_self_assessment",
    "score_inspection",
    "sign_off",
    "submit_self_assessment",
    "update_campaign",
    "update_election",
    "update_item",
    "update_section",
    "upload_evidence",
    "withdraw_nomination",
]

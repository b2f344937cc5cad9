"""The audit record of a notice keeps what was said, not the query code it handed out."""

import pytest

from yichuang.core.models import AuditEvent
from yichuang.core.notifications import Recipient, notify
from yichuang.core.notifications.channels.sms import LoggingSmsBackend

pytestmark = pytest.mark.django_db


class About:
    """Any saved object a notice is about; only its query code matters here."""

    def __init__(self, staff, code):
        self._meta, self.pk, self.query_code = staff._meta, staff.pk, code


def test_the_record_masks_query_codes_and_phones_but_the_sms_carries_them(
    hall, django_capture_on_commit_callbacks
):
    LoggingSmsBackend.recent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Recipient(name="李小明", phone="13812345678", email="li@example.edu.cn"),
            subject="受理",
            body="编号 {{ n }}，查询码 {{ code }}。进度：https://hall/p/{{ n }}/?c={{ code }} "
            "对象码 {{ other }}，回电 13900001111",
            context={"n": "202603020001", "code": "K7Q2M9XA", "other": "ZZ99YY88"},
            about=About(hall.alice, "ZZ99YY88"),
            kind="test.notice",
        )
    records = AuditEvent.objects.filter(action="notification.sent", data__kind="test.notice")
    assert {r.data["channel"] for r in records} == {"sms", "email"}
    for r in records:
        body = r.data["body"]
        assert "K7Q2M9XA" not in body and "ZZ99YY88" not in body and "13900001111" not in body
        assert "查询码 ****" in body and "?c=****" in body and "139****1111" in body
        assert "202603020001" in body  # the rest of the text stays
        assert "13812345678" not in str(r.data)
    sent = LoggingSmsBackend.recent[-1]
    assert "K7Q2M9XA" in sent.text and sent.phone == "13812345678"

"""SMS gateways for the tests, importable by a worker process started by them (settings
SMS_BACKEND names a class by its path)."""

import os
from pathlib import Path

from yichuang.core.notifications.channels.sms import SmsBackend

DOWN_FILE_ENV = "YICHUANG_TEST_SMS_DOWN_FILE"


class BrokenGateway(SmsBackend):
    def send(self, phone, text):
        raise ConnectionError("gateway down")


class SwitchedGateway(SmsBackend):
    """Down while the file named by YICHUANG_TEST_SMS_DOWN_FILE exists: a test in one process
    can take the gateway of a worker in another down and bring it back."""

    def send(self, phone, text):
        down = os.environ.get(DOWN_FILE_ENV, "")
        if down and Path(down).exists():
            raise ConnectionError("gateway down")

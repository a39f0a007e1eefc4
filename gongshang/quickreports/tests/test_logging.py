"""快报唯一标志码 never reach the logs: django.request / django.server records are redacted."""

import logging

import pytest
from django.test import Client

from gongshang.core.logging_filters import RedactQuickReportCodes, redact_codes

pytestmark = pytest.mark.django_db


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log():
    handler = Capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_4xx_request_log_has_no_code(worker, submit, request_log):
    result = submit(worker)
    compact = result.code.replace("-", "")
    client = Client()
    client.post(f"/api/v1/quick-reports/{result.code}/supplements", {"data": "{}"})  # 403: no grant
    client.get(f"/api/v1/quick-reports/{compact.lower()}")  # 403
    client.get("/api/v1/quick-reports/ABCD%20EFGH%20JKMN%20P")  # 404
    assert len(request_log) == 3
    text = "\n".join(request_log)
    assert result.code not in text and compact.lower() not in text
    assert "ABCD" not in text and "JKMN" not in text  # a typed code with spaces, decoded in request.path
    assert "/api/v1/quick-reports/****/supplements" in text


def test_server_log_is_redacted_too():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /api/v1/quick-reports/K7QM-3XZP-2WAB-9 HTTP/1.1", "404", "120"), None)
    assert any(isinstance(f, RedactQuickReportCodes) for f in logging.getLogger("django.server").filters)
    assert logging.getLogger("django.server").filter(record)
    assert record.getMessage() == '"GET /api/v1/quick-reports/**** HTTP/1.1" 404 120'


def test_redaction_keeps_other_paths():
    assert redact_codes("/api/v1/staff/quick-reports/12/receive") == "/api/v1/staff/quick-reports/12/receive"
    assert redact_codes("code K7QM-3XZP-2WAB-9 typed") == "code **** typed"
    assert redact_codes("Not Found: /api/v1/quick-reports/k7qm 3xzp 2wab 9") == "Not Found: /api/v1/quick-reports/****"

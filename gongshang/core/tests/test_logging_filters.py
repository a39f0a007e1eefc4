import logging

from gongshang.core.logging_filters import RedactQuickReportCodes, redact_codes


def test_id_numbers_in_paths_are_masked():
    text = "Not Found: /api/v1/registry/certificates/person/370202198803151237.pdf"
    assert redact_codes(text) == "Not Found: /api/v1/registry/certificates/person/370202********1237.pdf"
    assert redact_codes("x 37020219880315123X y") == "x 370202********123X y"


def test_other_numbers_are_left_alone():
    assert redact_codes("order 1234567890123456789 and 12345") == "order 1234567890123456789 and 12345"


def test_filter_masks_args():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s",
                               ("Not Found", "/person/370202198803151237.pdf"), None)
    RedactQuickReportCodes().filter(record)
    assert record.getMessage() == "Not Found: /person/370202********1237.pdf"

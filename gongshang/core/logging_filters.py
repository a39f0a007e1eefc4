"""Logging filters. A 快报唯一标志码 is a credential: Django's request and server loggers write
the request path (which holds the code on the reporter's endpoints) on every 4xx/5xx, so the
code is replaced with **** before the record reaches any handler. ID numbers (the person
certificate's path holds one, a name fixed by the API) are masked the same way, to 6 + 4 digits."""

import logging
import re

REDACTED = "****"
# The path segment after /quick-reports/ on the reporter's API (whatever the caller typed:
# lower case, spaces as %20, no hyphens), and any formatted code anywhere in the message.
# request.path is decoded ("abcd efgh ..."); a server request line ends with " HTTP/1.1".
_PATH_CODE = re.compile(r"(/api/v\d+/quick-reports/)((?:[^/?#\s\"']|\s(?!HTTP/))+)", re.IGNORECASE)
_FORMATTED_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b", re.IGNORECASE)


_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def redact_codes(text: str) -> str:
    text = _PATH_CODE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _FORMATTED_CODE.sub(REDACTED, text)
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


def _redact(value):
    if isinstance(value, str):
        return redact_codes(value)
    if isinstance(value, tuple):
        return tuple(_redact(v) for v in value)
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    return value


class RedactQuickReportCodes(logging.Filter):
    """Attach to the django.request and django.server loggers (see LOGGING in settings)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_codes(record.msg)
        if record.args:
            record.args = _redact(record.args)
        return True

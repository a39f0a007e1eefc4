"""Delivery backends, one per channel, chosen by settings.NOTIFY_<CHANNEL>_BACKEND:

- "console": appends a line to NOTIFY_OUTBOX_DIR/<channel>.log (local use, demos, tests);
- "http": POSTs JSON to the channel's gateway (NOTIFY_<CHANNEL>_GATEWAY_URL / _KEY);
- "webhook": POSTs JSON to the message's own recipient, an http(s) address (institution pushes),
  signed with HMAC-SHA256 of the body (which carries its send time) under NOTIFY_WEBHOOK_KEY
  (X-Gongshang-Signature); without a key nothing is sent (the message waits and is retried);
- a dotted path to a class taking (channel) — for other gateways and for tests.

`send(message)` returns on success and raises DeliveryError (or anything) on failure; the
delivery task turns failures into retries.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from gongshang.core.pii.masking import mask_mobile

logger = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """The gateway refused or could not be reached; the message will be retried."""


class ConsoleBackend:
    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message) -> None:
        directory = Path(settings.NOTIFY_OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().isoformat(timespec="seconds")
        body = message.body.replace("\r", " ").replace("\n", " / ")
        line = f"{stamp}\t{self.channel}\t{message.recipient}\t{body}\n"
        with open(directory / f"{self.channel}.log", "a", encoding="utf-8") as log:
            log.write(line)
        logger.info("outbox %s #%s to %s: %s", self.channel, message.pk, mask_mobile(message.recipient),
                    message.template)


class HttpGatewayBackend:
    def __init__(self, channel: str, url: str | None = None, key: str | None = None):
        prefix = f"NOTIFY_{channel.upper()}_GATEWAY"
        self.channel = channel
        self.url = url if url is not None else getattr(settings, f"{prefix}_URL", "")
        self.key = key if key is not None else getattr(settings, f"{prefix}_KEY", "")
        if urlsplit(self.url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(f"{prefix}_URL 未配置或不是 http(s) 地址")

    def send(self, message) -> None:
        payload = json.dumps({
            "to": message.recipient,
            "template": message.template,
            "params": message.params,
            "body": message.body,
        }, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=payload, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
                detail = response.read(500).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
            raise DeliveryError(f"网关返回 HTTP {exc.code}：{detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"无法连接网关：{exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"网关返回 HTTP {status}：{detail}")


class WebhookBackend:
    """One address per message (an agreement institution's 结果推送地址): the JSON carries the event
    (the template's params), the Chinese text and the send time, signed; never sent unsigned (the
    institution could not tell it from a forged push)."""

    def __init__(self, channel: str, key: str | None = None):
        self.channel = channel
        self.key = key if key is not None else getattr(settings, "NOTIFY_WEBHOOK_KEY", "")

    def send(self, message) -> None:
        url = str(message.recipient)
        if urlsplit(url).scheme not in {"http", "https"}:
            raise DeliveryError(f"推送地址不是 http(s) 地址：{url[:100]}")
        if not self.key:
            raise DeliveryError("未配置机构推送的签名密钥（NOTIFY_WEBHOOK_KEY），机构无法验签，消息暂不发送")
        payload = json.dumps({"event": message.params.get("event", message.template), "template": message.template,
                              "data": message.params, "text": message.body, "message_id": message.pk,
                              "sent_at": timezone.localtime().isoformat(timespec="seconds")},
                             ensure_ascii=False).encode("utf-8")
        digest = hmac.new(self.key.encode(), payload, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Gongshang-Signature": f"sha256={digest}"}
        request = urllib.request.Request(url, data=payload, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
                detail = response.read(500).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
            raise DeliveryError(f"机构接口返回 HTTP {exc.code}：{detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"无法连接机构接口：{exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"机构接口返回 HTTP {status}：{detail}")


BACKENDS = {"console": ConsoleBackend, "http": HttpGatewayBackend, "webhook": WebhookBackend}


def get_backend(channel: str):
    """The configured backend for `channel` ("sms", "wechat", "webhook")."""
    name = getattr(settings, f"NOTIFY_{str(channel).upper()}_BACKEND", "console")
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class(str(channel))

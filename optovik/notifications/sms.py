"""SMS through a provider interface: ``log`` for development (logs and keeps the message in
``SmsMessage``) and ``http`` for a real gateway (a form POST with login, password and sender).

Settings (from the environment): ``SMS_PROVIDER`` ("log" or "http"), ``SMS_HTTP_URL``,
``SMS_HTTP_LOGIN``, ``SMS_HTTP_PASSWORD``, ``SMS_SENDER``.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway refused the message or could not be reached."""


class SmsProvider(Protocol):
    name: str

    def send(self, *, phone: str, text: str) -> None: ...


class LogSmsProvider:
    name = "log"

    def send(self, *, phone: str, text: str) -> None:
        from .models import SmsMessage

        logger.info("SMS to %s: %s", phone, text)
        SmsMessage.objects.create(phone=phone, text=text, provider=self.name)


class HttpSmsProvider:
    """POSTs ``login``, ``password``, ``sender``, ``phone`` and ``text`` as a form to ``url``;
    any answer other than 2xx is an error."""

    name = "http"

    def __init__(self, *, url: str, login: str, password: str, sender: str, timeout: float = 10):
        if not url:
            raise ImproperlyConfigured("SMS_HTTP_URL is not set.")
        self.url, self.login, self.password, self.sender, self.timeout = url, login, password, sender, timeout

    def send(self, *, phone: str, text: str) -> None:
        data = urllib.parse.urlencode(
            {"login": self.login, "password": self.password, "sender": self.sender, "phone": phone, "text": text}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 — the URL is the operator's setting
            self.url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as e:
            raise SmsError(f"SMS gateway answered {e.code}") from e
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            raise SmsError(f"SMS gateway unreachable: {e}") from e
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered {status}")


def sms_provider() -> SmsProvider:
    name = getattr(settings, "SMS_PROVIDER", "log")
    if name == "http":
        return HttpSmsProvider(
            url=settings.SMS_HTTP_URL,
            login=settings.SMS_HTTP_LOGIN,
            password=settings.SMS_HTTP_PASSWORD,
            sender=settings.SMS_SENDER,
        )
    if name == "log":
        return LogSmsProvider()
    raise ImproperlyConfigured(f"Unknown SMS_PROVIDER {name!r}: use 'log' or 'http'.")


def sms_send(*, phone: str, text: str) -> None:
    sms_provider().send(phone=phone, text=text)

"""E-mail dispatch: rendered in the recipient's language now, sent by the task worker after commit."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import email_send


def email_enqueue(*, to: str | list[str], template: str, context: dict, language: str | None = None) -> None:
    """Renders ``notifications/email/<template>_subject.txt`` and ``…_body.txt`` and enqueues the send
    once the current transaction commits (nothing is sent for a rolled-back change)."""
    recipients = [to] if isinstance(to, str) else list(to)
    ctx = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", ctx).split())
        body = render_to_string(f"notifications/email/{template}_body.txt", ctx)
    transaction.on_commit(lambda: email_send.enqueue(to=recipients, subject=subject, body=body))

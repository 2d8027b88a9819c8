from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task(queue_name="default")
def email_send(*, to: list[str], subject: str, body: str, html: str = "") -> int:
    """Sends one e-mail; the task worker retries nothing by itself, so failures stay visible in its results."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@task(queue_name="default")
def order_event_notify(*, event_id: int) -> int:
    """Tells the people concerned about an order's status change; returns how many messages went out."""
    from .order_notifications import order_event_dispatch

    return order_event_dispatch(event_id=event_id)

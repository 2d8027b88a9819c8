"""The order timeline. Every status change goes through ``order_event_record``, which writes the
event in the caller's transaction and has the people concerned told once it commits."""

from django.db import transaction

from optovik.notifications.tasks import order_event_notify

from ..models import Order, OrderEvent


def order_event_record(*, order: Order, status_from: str, status_to: str, actor=None, comment: str = "") -> OrderEvent:
    event = OrderEvent.objects.create(
        client_id=order.client_id,
        order=order,
        status_from=status_from,
        status_to=status_to,
        actor=actor,
        comment=comment,
    )
    transaction.on_commit(lambda: order_event_notify.enqueue(event_id=event.pk))
    return event

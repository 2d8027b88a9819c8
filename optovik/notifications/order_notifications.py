"""Who hears about an order's status change, and how.

* the ordering user: an e-mail (unless they turned it off) and an SMS (if they asked for it and
  have a phone);
* the company admins: a copy of every change of every company order if they asked for it, and,
  always, a request when an order starts to wait for their approval.

Each message goes in the recipient's own language. A failing SMS gateway never stops the e-mails.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .models import NotificationPreference
from .sms import SmsError, sms_send

logger = logging.getLogger(__name__)

DEFAULTS = NotificationPreference()


def preference_for(user) -> NotificationPreference:
    """The user's preferences, or the defaults when they never saved any."""
    if user is None or user.pk is None:
        return DEFAULTS
    return NotificationPreference.objects.filter(user=user).first() or DEFAULTS


def _language(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def _email(user, template: str, context: dict) -> int:
    ctx = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, "user": user, **context}
    with translation.override(_language(user)):
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", ctx).split())
        body = render_to_string(f"notifications/email/{template}_body.txt", ctx)
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()


def _sms(user, event) -> int:
    with translation.override(_language(user)):
        text = _("Order %(number)s: %(status)s") % {
            "number": event.order.number,
            "status": event.get_status_to_display(),
        }
    try:
        sms_send(phone=user.phone, text=text)
    except SmsError:
        logger.exception("SMS about order %s to user %s failed", event.order.number, user.pk)
        return 0
    return 1


def _company_admins(client_id: int) -> list:
    from optovik.customers.models import Membership, Role

    memberships = Membership.objects.filter(
        client_id=client_id, role=Role.ADMIN, is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships if m.user.email]


def order_event_dispatch(*, event_id: int) -> int:
    """Sends what the event calls for; returns how many messages went out."""
    from optovik.ordering.models import OrderEvent, OrderStatus

    sent = 0
    with scopes_disabled():
        event = OrderEvent.objects.select_related("order", "order__placed_by", "actor").filter(pk=event_id).first()
        if event is None:
            return 0
        order = event.order
        context = {"event": event, "order": order}
        buyer = order.placed_by
        if buyer is not None and buyer.is_active:
            preference = preference_for(buyer)
            if preference.email_status and buyer.email:
                sent += _email(buyer, "order_status", context)
            if preference.sms_status and buyer.phone:
                sent += _sms(buyer, event)
        for admin in _company_admins(order.client_id):
            if buyer is not None and admin.pk == buyer.pk:
                continue
            if event.status_to == OrderStatus.AWAITING_APPROVAL:
                sent += _email(admin, "order_approval_needed", context)
            elif preference_for(admin).company_orders_copy:
                sent += _email(admin, "order_status_copy", context)
    return sent

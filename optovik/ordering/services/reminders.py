"""Abandoned carts: a cart with lines untouched for ``ABANDONED_CART_HOURS`` gets one reminder.

"Untouched" is the cart's ``updated_at`` (every change of the cart saves it). A cart is reminded
once per untouched stretch: ``reminder_sent_at`` later than ``updated_at`` means "already told";
any change of the cart moves ``updated_at`` past it and makes the cart eligible again.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from optovik.notifications.order_notifications import preference_for
from optovik.notifications.services import email_enqueue

from ..models import Cart, CartLine


def carts_abandoned(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.ABANDONED_CART_HOURS)
    return (
        Cart.objects.filter(updated_at__lte=cutoff, user__is_active=True)
        .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=F("updated_at")))
        .filter(pk__in=CartLine.objects.values("cart_id"))
        .select_related("user")
        .order_by("pk")
    )


def cart_reminders_send(*, now: dt.datetime | None = None) -> int:
    """E-mails one reminder per abandoned cart (unless the user turned reminders off) and marks the
    cart; returns how many were sent. The mark is a conditional update, so two runs never remind
    the same cart twice."""
    now = now or timezone.now()
    sent = 0
    for cart in carts_abandoned(now=now):
        with transaction.atomic():
            claimed = (
                Cart.objects.filter(pk=cart.pk, updated_at=cart.updated_at)
                .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=F("updated_at")))
                .update(reminder_sent_at=now)
            )
            if not claimed:
                continue
            user = cart.user
            if not user.email or not preference_for(user).cart_reminders:
                continue
            lines = list(CartLine.objects.filter(cart=cart).select_related("product").order_by("pk"))
            email_enqueue(
                to=user.email,
                template="cart_reminder",
                context={"user": user, "cart": cart, "lines": lines},
                language=user.language or settings.LANGUAGE_CODE,
            )
            sent += 1
    return sent

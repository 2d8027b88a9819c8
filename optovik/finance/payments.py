"""Payments received from customers: each credits the contract's ledger."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.core.money import round_money

from .models import LedgerEntry, Payment
from .services import ledger_entry_create


@transaction.atomic
def payment_post(
    *,
    contract,
    date: dt.date,
    amount: Decimal,
    number: str = "",
    purpose: str = "",
    external_id: str | None = None,
    actor=None,
) -> Payment:
    """Records a payment and credits the ledger with it. Payments settle the oldest debts first
    (the ledger's overdue figure follows from that). With ``external_id`` a repeated import of the
    same payment returns the existing one and changes nothing."""
    if external_id:
        existing = Payment.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing
    try:
        amount = round_money(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Enter the amount as a number."), field="amount") from None
    if amount <= 0:
        raise ApplicationError(_("The payment amount must be positive."), field="amount")
    if date > timezone.localdate():
        raise ApplicationError(_("A payment cannot be dated in the future."), field="date")
    label = f"Оплата (п/п № {number} от {date:%d.%m.%Y})" if number else f"Оплата от {date:%d.%m.%Y}"
    entry = ledger_entry_create(
        contract=contract,
        kind=LedgerEntry.Kind.PAYMENT,
        date=date,
        credit=amount,
        document_number=number,
        description=label,
    )
    return Payment.objects.create(
        client_id=contract.client_id,
        contract=contract,
        date=date,
        number=number,
        amount=amount,
        purpose=purpose,
        external_id=external_id,
        ledger_entry=entry,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )

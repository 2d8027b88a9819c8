"""Reconciliation acts (акт сверки взаимных расчётов) built from the contract ledger."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.documents.render import ActDoc, ActMovement, render_act_pdf

from .models import Document, DocumentKind, LedgerEntry
from .notify import document_available_notify
from .parties import buyer_snapshot, party, seller_snapshot

ZERO = Decimal("0.00")

# How the act names ledger entries (the act is a Russian legal form).
KIND_LABELS = {
    LedgerEntry.Kind.OPENING: "Начальное сальдо",
    LedgerEntry.Kind.SHIPMENT: "Отгрузка",
    LedgerEntry.Kind.PAYMENT: "Оплата",
    LedgerEntry.Kind.RETURN: "Возврат",
    LedgerEntry.Kind.ADJUSTMENT: "Корректировка",
}


def _contracts(*, contract, legal_entity) -> list:
    if (contract is None) == (legal_entity is None):
        raise ApplicationError(_("Choose a contract or a legal entity."), field="contract")
    if contract is not None:
        return [contract]
    contracts = list(legal_entity.contracts.select_related("seller").order_by("date", "pk"))
    if not contracts:
        raise ApplicationError(_("The legal entity has no contracts."), field="contract")
    if len({c.seller_id for c in contracts}) > 1:
        raise ApplicationError(
            _("The legal entity has contracts with several seller organizations: choose one contract."),
            field="contract",
        )
    return contracts


def act_period_check(*, date_from: dt.date, date_to: dt.date, ledger_start: dt.date | None, today: dt.date) -> None:
    """Refuses a period that ends before it starts, lies in the future or starts before the ledger."""
    if date_to < date_from:
        raise ApplicationError(_("The period ends before it starts."), field="date_to")
    if date_to > today:
        raise ApplicationError(_("The period cannot end in the future."), field="date_to")
    if ledger_start is None:
        raise ApplicationError(_("There are no settlements to reconcile yet."), field="date_from")
    if date_from < ledger_start:
        raise ApplicationError(
            _("The settlements start on %(date)s: the period cannot start earlier.")
            % {"date": f"{ledger_start:%d.%m.%Y}"},
            field="date_from",
        )


def movement_text(entry: LedgerEntry, *, with_contract: bool) -> str:
    text = entry.description or " ".join(
        part
        for part in (KIND_LABELS.get(entry.kind, entry.kind), entry.document_number and f"№ {entry.document_number}")
        if part
    )
    if with_contract:
        text = f"{text}, договор № {entry.contract.number}"
    return text


def act_build(
    *,
    date_from: dt.date,
    date_to: dt.date,
    contract=None,
    legal_entity=None,
    today: dt.date | None = None,
) -> ActDoc:
    """The act of one contract, or of all contracts of a legal entity with one seller organization,
    for the period: the opening balance, every ledger entry of the period and (computed by the
    layout) the turnovers and closing balance. Three queries."""
    contracts = _contracts(contract=contract, legal_entity=legal_entity)
    ids = [c.pk for c in contracts]
    entries = LedgerEntry.objects.filter(contract_id__in=ids)
    totals = entries.aggregate(
        start=Min("date"),
        before_debit=Coalesce(Sum("debit", filter=Q(date__lt=date_from)), ZERO),
        before_credit=Coalesce(Sum("credit", filter=Q(date__lt=date_from)), ZERO),
    )
    act_period_check(
        date_from=date_from, date_to=date_to, ledger_start=totals["start"], today=today or timezone.localdate()
    )
    period = entries.filter(date__gte=date_from, date__lte=date_to).select_related("contract").order_by("date", "pk")
    first = contracts[0]
    with_contract = len(contracts) > 1
    return ActDoc(
        seller=party(seller_snapshot(first.seller)),
        buyer=party(buyer_snapshot(first.legal_entity)),
        period_start=date_from,
        period_end=date_to,
        opening_balance=totals["before_debit"] - totals["before_credit"],
        movements=tuple(
            ActMovement(
                date=entry.date,
                document=movement_text(entry, with_contract=with_contract),
                debit=entry.debit,
                credit=entry.credit,
            )
            for entry in period
        ),
        basis="" if with_contract else f"договору № {first.number} от {first.date:%d.%m.%Y}",
    )


@transaction.atomic
def act_issue(*, contract, date_from: dt.date, date_to: dt.date, actor=None, notify: bool = True) -> Document:
    """The supplier issues an act for a contract: it is rendered now, filed in the client's
    documents archive and the client's admins and accountants are told."""
    act = act_build(contract=contract, date_from=date_from, date_to=date_to)
    pdf = render_act_pdf(act)
    closing = act.opening_balance + sum((m.debit - m.credit for m in act.movements), ZERO)
    document = Document(
        legal_entity=contract.legal_entity,
        contract=contract,
        kind=DocumentKind.ACT,
        number=f"{contract.number}/{date_to:%Y%m%d}",
        date=date_to,
        amount=closing,
        title=f"Акт сверки за {date_from:%d.%m.%Y} – {date_to:%d.%m.%Y}",
        source=Document.Source.ISSUED,
        file_name=f"act-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.client_id = contract.client_id
    document.file.save(document.file_name, ContentFile(pdf), save=False)
    document.save()
    if notify:
        document_available_notify(document=document, exclude_user=actor)
    return document

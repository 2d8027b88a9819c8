"""Demand plans (плановые заявки): the customer's expected quantities per product for the coming
months; the manager confirms or adjusts them; the customer turns a confirmed month into an order."""

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError

from ..models import DemandPlan, DemandPlanLine, DemandPlanStatus, Order
from .checkout import order_place
from .quantities import quantity_parse

P = DemandPlanStatus
# How far ahead a customer plans.
MONTHS_AHEAD = 6


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_ahead(*, today: dt.date | None = None, count: int = MONTHS_AHEAD) -> list[dt.date]:
    """The first days of the next ``count`` months (the current month is already being ordered)."""
    first = month_start(today or timezone.localdate())
    months = []
    for _i in range(count):
        first = (first + dt.timedelta(days=32)).replace(day=1)
        months.append(first)
    return months


def demand_lines_parse(*, text: str, contract) -> list[tuple[int, Decimal]]:
    """Parses "article quantity" lines (tabs, spaces, semicolons or commas between; decimal commas)
    into (product id, quantity) pairs of products the contract may order. Raises ``ApplicationError``
    naming the first bad line."""
    parsed: dict[str, Decimal] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = re.split(r"[\t;]+|\s+", line, maxsplit=1) if re.search(r"[\t;]", line) else line.rsplit(None, 1)
        if len(parts) != 2:
            raise ApplicationError(
                _("Line %(number)s: write the article and the quantity.") % {"number": number}, field="lines"
            )
        article, quantity = parts[0].strip().rstrip(","), quantity_parse(parts[1].strip())
        if quantity is None or quantity < 0:
            raise ApplicationError(
                _("Line %(number)s: the quantity is not a number.") % {"number": number}, field="lines"
            )
        parsed[article] = parsed.get(article, Decimal(0)) + quantity
    products = dict(product_visible_queryset(contract=contract).filter(article__in=parsed).values_list("article", "pk"))
    unknown = [article for article in parsed if article not in products]
    if unknown:
        raise ApplicationError(
            _("Unknown article: %(articles)s.") % {"articles": ", ".join(unknown[:5])}, field="lines"
        )
    return [(products[article], quantity) for article, quantity in parsed.items()]


@transaction.atomic
def demand_plan_save(
    *, legal_entity, contract, month: dt.date, lines: list[tuple[int, Decimal]], user, submit: bool = False
) -> DemandPlan:
    """Creates or replaces the customer's plan for ``month`` (lines with quantity 0 are dropped).
    A plan the manager has confirmed can no longer be changed. ``submit`` sends it to the manager."""
    if contract.legal_entity_id != legal_entity.pk:
        raise ApplicationError(_("The contract does not belong to the legal entity."), field="contract")
    if month not in months_ahead():
        raise ApplicationError(_("Plans are made for the coming months only."), field="month")
    plan, _created = DemandPlan.objects.select_for_update().get_or_create(
        contract=contract,
        month=month,
        defaults={"client_id": legal_entity.client_id, "legal_entity": legal_entity, "created_by": user},
    )
    if plan.status not in (P.DRAFT, P.SUBMITTED):
        raise ApplicationError(_("The plan for this month is already confirmed and cannot be changed."))
    lines = [(pid, qty) for pid, qty in lines if qty > 0]
    if submit and not lines:
        raise ApplicationError(_("Add at least one product before sending the plan."), field="lines")
    DemandPlanLine.objects.filter(plan=plan).delete()
    DemandPlanLine.objects.bulk_create(
        DemandPlanLine(client_id=plan.client_id, plan=plan, product_id=pid, quantity=qty) for pid, qty in lines
    )
    plan.status = P.SUBMITTED if submit else P.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def demand_plan_confirm(
    *, plan: DemandPlan, manager, quantities: dict[int, Decimal] | None = None, comment=""
) -> DemandPlan:
    """The manager confirms a submitted plan; ``quantities`` ({line id: quantity}) adjusts lines,
    the others are confirmed as planned."""
    plan = DemandPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (P.SUBMITTED, P.CONFIRMED):
        raise ApplicationError(_("Only a plan sent by the customer can be confirmed."))
    quantities = quantities or {}
    for line in DemandPlanLine.objects.filter(plan=plan):
        value = quantities.get(
            line.pk, line.confirmed_quantity if line.confirmed_quantity is not None else line.quantity
        )
        if value is None or value < 0:
            raise ApplicationError(_("A confirmed quantity cannot be negative."), field="confirmed_quantity")
        line.confirmed_quantity = value
        line.save(update_fields=["confirmed_quantity"])
    plan.status = P.CONFIRMED
    plan.confirmed_by = manager
    plan.confirmed_at = timezone.now()
    plan.manager_comment = comment or plan.manager_comment
    plan.save(update_fields=["status", "confirmed_by", "confirmed_at", "manager_comment", "updated_at"])
    return plan


@transaction.atomic
def demand_plan_order(*, plan: DemandPlan, user, **order_fields) -> Order:
    """Turns a confirmed month into an order (``order_place`` with the confirmed quantities and
    ``order_fields``: delivery, contact, …) in one transaction. A refused order leaves the plan
    confirmed."""
    plan = DemandPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != P.CONFIRMED:
        raise ApplicationError(_("Only a confirmed plan can be ordered."))
    lines = [
        (line.product_id, line.confirmed_quantity)
        for line in DemandPlanLine.objects.filter(plan=plan).order_by("pk")
        if line.confirmed_quantity
    ]
    if not lines:
        raise ApplicationError(_("The confirmed plan has nothing to order."))
    order = order_place(user=user, legal_entity=plan.legal_entity, contract=plan.contract, lines=lines, **order_fields)
    plan.status = P.ORDERED
    plan.order = order
    plan.save(update_fields=["status", "order", "updated_at"])
    return order

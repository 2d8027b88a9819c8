"""Data builders for the documents and settlements tests: orders made directly as rows, shipments
and payments posted through the services."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from optovik.catalog.models import Category, Product, Unit, VatRate
from optovik.finance.payments import payment_post
from optovik.finance.shipments import ShipmentLineInput, shipment_create, shipment_lines_from_order, shipment_post
from optovik.ordering.models import Order, OrderLine, OrderStatus

_seq = itertools.count(1)


def product(*, name: str = "Перфоратор SDS-plus 800 Вт") -> Product:
    n = next(_seq)
    vat = VatRate.objects.get_or_create(code="vat22", defaults={"name": "22%", "rate": Decimal(22)})[0]
    unit = Unit.objects.get_or_create(okei_code="796", defaults={"name": "шт"})[0]
    category = Category.objects.get_or_create(name="Инструмент", defaults={"slug": "tools"})[0]
    return Product.objects.create(
        article=f"FIN-{n:05d}", name=f"{name} {n}", category=category, unit=unit, vat_rate=vat
    )


def order_make(
    *, contract, user=None, lines=None, status: str = OrderStatus.CONFIRMED, number: str | None = None
) -> Order:
    """An order with ``lines`` = [(quantity, price incl. VAT, VAT rate or None)] at 22 % by default."""
    lines = lines or [(Decimal(2), Decimal("12345.60"), Decimal(22)), (Decimal(10), Decimal("99.90"), Decimal(22))]
    n = next(_seq)
    le = contract.legal_entity
    order = Order.objects.create(
        client_id=le.client_id,
        legal_entity=le,
        contract=contract,
        placed_by=user,
        number=number or f"2026-{900000 + n:06d}",
        status=status,
        placed_at=timezone.now(),
        delivery_method="pickup",
    )
    total = Decimal(0)
    for quantity, price, rate in lines:
        item = product()
        quantity, price = Decimal(quantity), Decimal(price)
        amount = (quantity * price).quantize(Decimal("0.01"))
        vat = (amount * rate / (100 + rate)).quantize(Decimal("0.01")) if rate else Decimal(0)
        OrderLine.objects.create(
            client_id=le.client_id,
            order=order,
            product=item,
            article=item.article,
            name=item.name,
            unit="шт",
            quantity=quantity,
            price_net=price,
            price_gross=price,
            vat_rate=rate,
            amount_net=amount - vat,
            amount_vat=vat,
            amount_gross=amount,
        )
        total += amount
    Order.objects.filter(pk=order.pk).update(total_gross=total)
    order.refresh_from_db()
    return order


def shipment(*, contract, date: dt.date, amount: Decimal | str = "1000.00", serials=(), order=None, post=True):
    """A shipment of one line worth ``amount`` (incl. 22 % VAT), posted unless ``post`` is False."""
    if order is not None:
        lines = shipment_lines_from_order(order=order)
    else:
        lines = [
            ShipmentLineInput(
                name="Шуруповёрт аккумуляторный 18 В",
                quantity=Decimal(1),
                price=Decimal(amount),
                vat_rate=Decimal(22),
                code="SHV-18",
                serials=tuple(serials),
            )
        ]
    draft = shipment_create(contract=contract, date=date, lines=lines, order=order)
    return shipment_post(shipment=draft) if post else draft


def payment(*, contract, date: dt.date, amount: Decimal | str, number: str = ""):
    return payment_post(contract=contract, date=date, amount=Decimal(amount), number=number)


def foreign_documents(o):
    """СтройМаркет's order, shipment and uploaded document for the tenancy table (built once per
    test and kept on the ``Foreign`` object)."""
    if not hasattr(o, "finance"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from optovik.customers.models import Contract
        from optovik.finance.archive import document_upload

        le = o.address.legal_entity
        contract = Contract.objects.filter(legal_entity=le).first()
        order = order_make(contract=contract)
        posted = shipment(contract=contract, date=timezone.localdate(), serials=["SN-FOREIGN-1"], order=None)
        upload = document_upload(
            legal_entity=le,
            kind="contract",
            number="Д-1",
            date=timezone.localdate(),
            file=SimpleUploadedFile("contract.pdf", b"%PDF-1.4 secret contract", content_type="application/pdf"),
            notify=False,
        )
        o.finance = type("Finance", (), {"order": order, "shipment": posted, "document": upload})
    return o.finance

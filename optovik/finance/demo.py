"""Demo settlements of СтройМаркет and Вектор: shipments with UPDs and serial numbers, payments,
invoices of shipped demo orders and uploaded documents, so that the finance page shows a balance,
overdue debt and a reconciliation act with movements.

Rows carry fixed ``external_id``s and are created once: running the seeder again changes nothing.
Dates count back from the day of the first run. The latest demo orders, when the ordering demo
made some, get their invoice; it posts its own ledger entries for the orders it shipped, so the
shipments here stand alone and the payments are sized over what the ledger already holds.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from optovik.core.money import round_money
from optovik.customers.models import Contract

from .archive import document_upload
from .invoicing import invoice_issue
from .models import Document, Invoice, LedgerEntry, Payment, Shipment
from .payments import payment_post
from .shipments import ShipmentLineInput, shipment_create, shipment_post

VAT = Decimal(22)
ZERO = Decimal("0.00")

# name, article, unit price incl. VAT, whether it has serial numbers
GOODS = (
    ("Перфоратор SDS-plus 800 Вт", "PRF-800", Decimal("8990.00"), True),
    ("Шуруповёрт аккумуляторный 18 В, 2 АКБ", "SHV-18-2", Decimal("7450.00"), True),
    ("Цемент ПЦ 500 Д0, 50 кг", "CEM-500-50", Decimal("489.00"), False),
    ("Смесь штукатурная гипсовая, 30 кг", "GPS-30", Decimal("415.00"), False),
    ("Угловая шлифмашина 125 мм, 1100 Вт", "UShM-125", Decimal("5290.00"), True),
    ("Профиль направляющий ПН 50×40, 3 м", "PN-50-3", Decimal("212.40"), False),
)

# contract external id -> shipments (days ago, ((goods index, quantity), …)), payments (days ago,
# share of the sum paid, payment order number) and the overdue debt the contract is left with: the
# payments are sized, over whatever the ledger already holds, so that exactly that much of the debt
# due before today stays unpaid (None: everything due is paid, plus an optional advance). Overdue
# debt blocks new orders on its contract, as the contract's terms say.
PLAN = {
    "demo-contract-sm-prepay": {
        "shipments": ((64, ((2, 120), (3, 80))), (33, ((0, 4), (5, 150))), (8, ((1, 6), (2, 60)))),
        "payments": ((66, Decimal("0.4"), "412"), (35, Decimal("0.3"), "538"), (9, Decimal("0.3"), "611")),
        "overdue": None,  # the prepayment contract stays open for ordering: paid in advance
        "advance": Decimal("15000.00"),
    },
    "demo-contract-sm-deferral": {
        "shipments": (
            (81, ((0, 10), (4, 6), (2, 200))),
            (57, ((1, 12), (3, 150))),
            (41, ((2, 400), (5, 300))),
            (22, ((0, 5), (1, 5), (4, 4))),
            (6, ((2, 150), (3, 120))),
        ),
        "payments": ((49, Decimal("0.6"), "517"), (18, Decimal("0.4"), "604")),
        "overdue": Decimal("260670.00"),
    },
    "demo-contract-vector": {
        "shipments": ((28, ((2, 90), (5, 60))),),
        "payments": ((27, Decimal("1"), "88"),),
        "overdue": None,
    },
}
INVOICED_ORDERS = 6  # the latest orders of each contract that get an invoice

# A one-page PDF standing for a scanned paper document.
SCAN_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 72 760 Td (Scanned document) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# external id, contract external id, kind, number, days ago, amount, title
UPLOADS = (
    (
        "demo-doc-sm-contract-014",
        "demo-contract-sm-prepay",
        "contract",
        "ОС-2026/014",
        None,
        None,
        "Договор поставки (скан)",
    ),
    (
        "demo-doc-sm-contract-015",
        "demo-contract-sm-deferral",
        "contract",
        "ОС-2026/015",
        None,
        None,
        "Договор поставки с отсрочкой (скан)",
    ),
    ("demo-doc-sm-discounts", "demo-contract-sm-deferral", "other", "П-3", 45, None, "Письмо о сезонных скидках"),
    (
        "demo-doc-sm-act-q3",
        "demo-contract-sm-deferral",
        "act",
        "АС-2026/09",
        55,
        Decimal("188422.00"),
        "Акт сверки, подписанный с двух сторон",
    ),
)


def _serials(article: str, contract_id: int, shipment_no: int, quantity: int) -> tuple[str, ...]:
    return tuple(f"{article}-{contract_id:03d}{shipment_no:02d}{n:03d}" for n in range(1, quantity + 1))


def _lines(items, *, contract_id: int, shipment_no: int) -> list[ShipmentLineInput]:
    lines = []
    for index, quantity in items:
        name, article, price, serial = GOODS[index]
        lines.append(
            ShipmentLineInput(
                name=name,
                quantity=Decimal(quantity),
                price=price,
                vat_rate=VAT,
                code=article,
                serials=_serials(article, contract_id, shipment_no, quantity) if serial else (),
            )
        )
    return lines


def _latest_orders(contract) -> list:
    from optovik.ordering.models import Order, OrderStatus

    closed = (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.AWAITING_APPROVAL)
    return list(
        Order.objects.filter(contract=contract)
        .exclude(status__in=closed)
        .order_by("-placed_at", "-pk")[:INVOICED_ORDERS]
    )


def _payments_total(contract, *, overdue: Decimal | None, advance: Decimal, today: dt.date) -> Decimal:
    """What the demo payments must add up to for the contract to be left with ``overdue`` (or with
    ``advance`` paid beyond everything due)."""
    due_before = Q(due_date__lt=today) | Q(due_date__isnull=True, date__lt=today)
    totals = LedgerEntry.objects.filter(contract=contract).aggregate(
        due=Coalesce(Sum("debit", filter=due_before), ZERO), paid=Coalesce(Sum("credit"), ZERO)
    )
    return max(totals["due"] - totals["paid"] - (overdue or ZERO) + advance, ZERO)


def seed_finance(*, stdout=None) -> None:
    today = timezone.localdate()
    counts = {"shipments": 0, "payments": 0, "invoices": 0, "documents": 0}
    contracts = {
        c.external_id: c for c in Contract.objects.filter(external_id__in=PLAN).select_related("legal_entity", "seller")
    }
    # Invoices and shipments are numbered per seller in date order, as they would have been issued.
    orders = sorted((o for c in contracts.values() for o in _latest_orders(c)), key=lambda o: (o.placed_at, o.pk))
    for order in orders:
        if not Invoice.objects.filter(order=order).exists():
            invoice_issue(order=order, day=order.placed_at.date(), notify=False)
            counts["invoices"] += 1
    planned = sorted(
        (
            (days_ago, contract_id, number, items)
            for contract_id, plan in PLAN.items()
            if contract_id in contracts
            for number, (days_ago, items) in enumerate(plan["shipments"], start=1)
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for days_ago, contract_id, number, items in planned:
        external_id = f"demo-shipment-{contract_id}-{number}"
        if Shipment.objects.filter(external_id=external_id).exists():
            continue
        contract = contracts[contract_id]
        lines = _lines(items, contract_id=contract.pk, shipment_no=number)
        draft = shipment_create(
            contract=contract, date=today - dt.timedelta(days=days_ago), lines=lines, external_id=external_id
        )
        shipment_post(shipment=draft, notify=False)
        counts["shipments"] += 1
    for contract_id, plan in PLAN.items():
        contract = contracts.get(contract_id)
        if contract is None:
            continue
        if Payment.objects.filter(external_id__startswith=f"demo-payment-{contract_id}-").exists():
            continue
        total = _payments_total(contract, overdue=plan["overdue"], advance=plan.get("advance", ZERO), today=today)
        left = total
        for index, (days_ago, share, number) in enumerate(plan["payments"]):
            amount = left if index == len(plan["payments"]) - 1 else round_money(total * share)
            left -= amount
            if amount <= 0:
                continue
            payment_post(
                contract=contract,
                date=today - dt.timedelta(days=days_ago),
                amount=amount,
                number=number,
                purpose=f"Оплата по договору № {contract.number}",
                external_id=f"demo-payment-{contract_id}-{number}",
            )
            counts["payments"] += 1
    for external_id, contract_id, kind, number, days_ago, amount, title in UPLOADS:
        contract = Contract.objects.filter(external_id=contract_id).select_related("legal_entity").first()
        if contract is None or Document.objects.filter(external_id=external_id).exists():
            continue
        document_upload(
            legal_entity=contract.legal_entity,
            contract=contract,
            kind=kind,
            number=number,
            date=contract.date if days_ago is None else today - dt.timedelta(days=days_ago),
            amount=amount,
            title=title,
            file=SimpleUploadedFile(f"{external_id}.pdf", SCAN_PDF, content_type="application/pdf"),
            external_id=external_id,
            notify=False,
        )
        counts["documents"] += 1
    if stdout is not None:
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        stdout.write(f"Finance: {summary} created")

"""Shipments (отгрузки): draft, posting (numbers the UPD and debits the ledger), serial numbers and
their export."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.documents.render import UpdLine
from optovik.documents.totals import document_totals

from .models import Document, DocumentKind, LedgerEntry, SerialNumber, Shipment, ShipmentLine
from .notify import document_available_notify
from .numbering import document_sequence_next
from .parties import buyer_snapshot, seller_snapshot
from .services import ledger_entry_create

MAX_SERIAL_LENGTH = 128


@dataclass(frozen=True)
class ShipmentLineInput:
    name: str
    quantity: Decimal
    price: Decimal  # incl. VAT
    vat_rate: Decimal | None
    unit: str = "шт"
    unit_code: str = "796"
    code: str = ""
    order_line_id: int | None = None
    serials: Sequence[str] = field(default_factory=tuple)


def _clean_serials(serials: Iterable[str], *, line_number: int) -> list[str]:
    seen, cleaned = set(), []
    for raw in serials:
        serial = str(raw).strip()
        if not serial:
            continue
        if len(serial) > MAX_SERIAL_LENGTH:
            raise ApplicationError(
                _("Line %(number)s: a serial number is longer than %(max)s characters.")
                % {"number": line_number, "max": MAX_SERIAL_LENGTH},
                field="serials",
            )
        if serial in seen:
            raise ApplicationError(
                _("Line %(number)s: serial number %(serial)s is repeated.") % {"number": line_number, "serial": serial},
                field="serials",
            )
        seen.add(serial)
        cleaned.append(serial)
    return cleaned


@transaction.atomic
def shipment_create(
    *,
    contract,
    date: dt.date,
    lines: Sequence[ShipmentLineInput],
    order=None,
    upd_status: int = Shipment.UpdStatus.INVOICE_AND_ACT,
    external_id: str | None = None,
) -> Shipment:
    """A draft shipment with its lines and serial numbers; nothing is posted to the ledger yet."""
    if not lines:
        raise ApplicationError(_("A shipment needs at least one line."), field="lines")
    if order is not None and order.contract_id != contract.pk:
        raise ApplicationError(_("The order belongs to another contract."), field="order")
    if upd_status not in Shipment.UpdStatus.values:
        raise ApplicationError(_("The UPD status must be 1 or 2."), field="upd_status")
    document_totals(lines, prices_include_vat=True)  # refuses bad figures, naming the line
    shipment = Shipment.objects.create(
        contract=contract, date=date, order=order, upd_status=upd_status, external_id=external_id
    )
    for number, item in enumerate(lines, start=1):
        serials = _clean_serials(item.serials, line_number=number)
        line = ShipmentLine.objects.create(
            shipment=shipment,
            order_line_id=item.order_line_id,
            code=item.code,
            name=item.name,
            unit=item.unit,
            unit_code=item.unit_code,
            quantity=item.quantity,
            price=item.price,
            vat_rate=item.vat_rate,
        )
        SerialNumber.objects.bulk_create(
            [SerialNumber(client_id=shipment.client_id, line=line, serial=serial) for serial in serials]
        )
    return shipment


def shipment_lines_from_order(*, order, serials: dict[int, Sequence[str]] | None = None) -> list[ShipmentLineInput]:
    """Lines shipping the whole order; ``serials`` by order line id."""
    serials = serials or {}
    return [
        ShipmentLineInput(
            name=line.name,
            quantity=line.quantity,
            price=line.price_gross,
            vat_rate=line.vat_rate,
            unit=line.unit,
            code=line.article,
            order_line_id=line.pk,
            serials=tuple(serials.get(line.pk, ())),
        )
        for line in order.lines.order_by("pk")
    ]


@transaction.atomic
def shipment_post(*, shipment: Shipment, actor=None, notify: bool = True) -> Shipment:
    """Posts a draft shipment: numbers its UPD per seller and year, copies both parties'
    requisites, debits the contract's ledger with the gross total due after the contract's
    deferral, and files the UPD in the client's documents archive."""
    shipment = (
        Shipment.objects.select_for_update().select_related("contract__seller", "legal_entity").get(pk=shipment.pk)
    )
    if shipment.status == Shipment.Status.POSTED:
        raise ApplicationError(_("The shipment is already posted."), field="status")
    lines = list(shipment.lines.all())
    if not lines:
        raise ApplicationError(_("A shipment needs at least one line."), field="lines")
    contract = shipment.contract
    totals = document_totals(
        [
            UpdLine(
                name=x.name, quantity=x.quantity, unit=x.unit, unit_code=x.unit_code, price=x.price, vat_rate=x.vat_rate
            )
            for x in lines
        ],
        prices_include_vat=True,
    )
    year = shipment.date.year
    sequence = document_sequence_next(seller=contract.seller, kind=DocumentKind.UPD, year=year)
    number = str(sequence)
    entry = ledger_entry_create(
        contract=contract,
        kind=LedgerEntry.Kind.SHIPMENT,
        date=shipment.date,
        debit=totals.gross,
        due_date=shipment.date + dt.timedelta(days=contract.deferral_days),
        document_number=number,
        description=f"Отгрузка (УПД № {number} от {shipment.date:%d.%m.%Y})",
        order=shipment.order,
    )
    shipment.year, shipment.sequence, shipment.number = year, sequence, number
    shipment.seller_data = seller_snapshot(contract.seller)
    shipment.buyer_data = buyer_snapshot(shipment.legal_entity)
    shipment.total_net, shipment.total_vat, shipment.total_gross = totals.net, totals.vat, totals.gross
    shipment.ledger_entry = entry
    shipment.status = Shipment.Status.POSTED
    shipment.posted_at = timezone.now()
    shipment.save()
    document = Document.objects.create(
        legal_entity=shipment.legal_entity,
        contract=contract,
        kind=DocumentKind.UPD,
        number=number,
        date=shipment.date,
        amount=totals.gross,
        title=f"УПД (статус {shipment.upd_status})" + (f", заказ № {shipment.order.number}" if shipment.order else ""),
        source=Document.Source.ISSUED,
        shipment=shipment,
    )
    if notify:
        document_available_notify(document=document, exclude_user=actor)
    return shipment


# Serial numbers -----------------------------------------------------------------------------


def serial_rows(*, shipments) -> list[tuple[str, dt.date, str, str, str]]:
    """(UPD number, date, article, name, serial) of the posted ``shipments``' serial numbers, in
    shipment and line order; one query."""
    serials = (
        SerialNumber.objects.filter(line__shipment__in=shipments, line__shipment__status=Shipment.Status.POSTED)
        .select_related("line__shipment")
        .order_by("line__shipment__date", "line__shipment_id", "line_id", "pk")
    )
    return [(s.line.shipment.number, s.line.shipment.date, s.line.code, s.line.name, s.serial) for s in serials]


def _headers() -> list[str]:
    return [_("UPD No."), _("Date"), _("Article"), _("Product"), _("Serial number")]


def serials_csv(rows) -> bytes:
    """A semicolon-separated CSV with a BOM, as Excel in Russia opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_headers())
    for number, day, code, name, serial in rows:
        writer.writerow([number, f"{day:%d.%m.%Y}", _csv_safe(code), _csv_safe(name), _csv_safe(serial)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def serials_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Serial numbers"))
    sheet.append(_headers())
    for number, day, code, name, serial in rows:
        sheet.append([number, day, _text_cell(sheet, code), _text_cell(sheet, name), _text_cell(sheet, serial)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str):
    """A cell that keeps ``value`` as text even when it looks like a formula ("=1+1")."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _csv_safe(value: str) -> str:
    """Spreadsheet programs run a CSV cell starting with "=", "+" or "@" as a formula; quote it."""
    return "'" + value if value.startswith(("=", "+", "@")) else value

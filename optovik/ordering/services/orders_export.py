"""Orders as .xlsx: a list of orders, or one order with its lines."""

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from ..models import Order

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _workbook(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def orders_export_xlsx(*, orders: Iterable[Order]) -> bytes:
    """One row per order (pass a queryset with ``legal_entity`` and ``placed_by`` selected)."""
    header = [
        _("Number"), _("Placed at"), _("Status"), _("Legal entity"), _("Placed by"), _("Customer's PO number"),
        _("Delivery"), _("Without VAT"), _("VAT"), _("Total"), _("Currency"),
    ]  # fmt: skip

    def rows():
        for o in orders:
            yield [
                o.number,
                timezone.localtime(o.placed_at).replace(tzinfo=None),
                o.get_status_display(),
                o.legal_entity.short_name,
                o.placed_by.get_full_name() or o.placed_by.email if o.placed_by else "",
                o.po_number,
                o.get_delivery_method_display(),
                o.total_net,
                o.total_vat,
                o.total_gross,
                o.currency,
            ]

    return _workbook(_("Orders"), header, rows())


def order_export_xlsx(*, order: Order) -> bytes:
    """The order's lines as they were sold."""
    header = [
        _("Article"), pgettext("product", "Name"), _("Quantity"), _("Unit"), _("Price"), _("Discount, %"),
        _("VAT rate, %"), _("Without VAT"), _("VAT"), _("Amount"),
    ]  # fmt: skip
    rows = [
        [
            line.article,
            line.name,
            line.quantity,
            line.unit,
            line.price_gross,
            line.discount_percent,
            line.vat_rate,
            line.amount_net,
            line.amount_vat,
            line.amount_gross,
        ]
        for line in order.lines.all()
    ]
    rows.append(["", _("Total"), None, None, None, None, None, order.total_net, order.total_vat, order.total_gross])
    return _workbook(order.number, header, rows)

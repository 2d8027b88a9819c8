"""Quick order: lines "article quantity" pasted as text or read from a spreadsheet, checked and
added to the cart in one go, with a report per line.

A file that cannot be read (not a spreadsheet, empty, too large, too many lines) is refused whole
and the cart is not touched. Otherwise every line gets its verdict, and the lines that can be
ordered are added at once (all or nothing).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from optovik.catalog.models import Barcode, Product
from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError

from ..models import Cart, CartLine
from .cart import MAX_CART_LINES, cart_add_many
from .quantities import MAX_QUANTITY, quantity_parse, quantity_round_to_pack, quantity_text

MAX_LINES = 1000
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_SUGGESTED = 20  # unknown articles that get suggestions (each is a search)
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

ARTICLE_HEADERS = {"артикул", "арт", "арт.", "article", "sku", "код", "code", "art", "art.", "item", "артикул товара"}
QUANTITY_HEADERS = {
    "количество", "кол-во", "кол.", "колво", "кол", "qty", "qty.", "quantity", "amount", "count", "шт", "заказ",
}  # fmt: skip

LINE_RE = re.compile(r"^\s*(?P<article>.+?)[\s;,]+(?P<quantity>[-+]?\d[\d\s\u00a0]*(?:[.,]\d+)?)\s*$")


class Verdict:
    ADDED = "added"
    ROUNDED = "rounded"
    MERGED = "merged"
    UNKNOWN = "unknown"
    NOT_IN_SPECIFICATION = "not_in_specification"
    UNAVAILABLE = "unavailable"
    BAD_QUANTITY = "bad_quantity"


OK_VERDICTS = {Verdict.ADDED, Verdict.ROUNDED, Verdict.MERGED}


@dataclass
class ReportLine:
    number: int  # the line in the text or the row in the file
    article: str
    raw_quantity: str
    verdict: str = ""
    quantity: Decimal | None = None  # what goes to the cart
    message: str = ""
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (article, name): did you mean
    analogs: list[tuple[str, str]] = field(default_factory=list)  # (article, name) of a product no longer sold
    product_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.verdict in OK_VERDICTS


@dataclass
class QuickReport:
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def added(self) -> list[ReportLine]:
        return [line for line in self.lines if line.ok]

    @property
    def problems(self) -> list[ReportLine]:
        return [line for line in self.lines if not line.ok]


# Reading -----------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


def quick_order_parse_text(text: str) -> list[tuple[int, str, str]]:
    """(line number, article, quantity text) of pasted lines: "article quantity" separated by tabs,
    spaces, semicolons or commas; the quantity may have a decimal comma. A line without a quantity
    keeps an empty one (reported as such)."""
    rows = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "\t" in line:
            parts = [p.strip() for p in line.split("\t") if p.strip()]
            article, quantity = (parts[0], parts[-1]) if len(parts) > 1 else (parts[0], "")
        else:
            m = LINE_RE.match(line)
            if m:
                article, quantity = m["article"].strip(" ;,"), m["quantity"]
            else:
                parts = re.split(r"[\s;]+", line, maxsplit=1) if re.search(r"[\s;]", line) else line.split(",", 1)
                article, quantity = parts[0].strip(" ;,"), (parts[1].strip(" ;,") if len(parts) > 1 else "")
        rows.append((number, article, quantity))
        if len(rows) > MAX_LINES:
            break
    return rows


def _header_columns(rows: list[list[str]]) -> tuple[int, int, int]:
    """(header row index or -1, article column, quantity column), found by the headers' names."""
    for index, row in enumerate(rows[:10]):
        names = [c.strip().lower().rstrip(":") for c in row]
        article = next((i for i, n in enumerate(names) if n in ARTICLE_HEADERS), None)
        quantity = next((i for i, n in enumerate(names) if n in QUANTITY_HEADERS), None)
        if article is not None and quantity is not None:
            return index, article, quantity
    return -1, 0, 1


def _read_rows(name: str, data: bytes) -> list[list[str]]:
    lower = name.lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ApplicationError(_("The file's text encoding is not recognised: save it as UTF-8."), field="file")
        if "\x00" in text:
            raise ApplicationError(_("This file is not a spreadsheet: upload .xlsx, .xls or .csv."), field="file")
        sample = text[:4096]
        delimiter = max(";\t,", key=sample.count) if any(c in sample for c in ";\t,") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = []
        for row in reader:
            rows.append([c.strip() for c in row])
            if len(rows) > MAX_LINES + 10:
                break
        return rows
    if not lower.endswith(SPREADSHEET_EXTENSIONS):
        raise ApplicationError(_("This file is not a spreadsheet: upload .xlsx, .xls or .csv."), field="file")
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = []
        for row in sheet.iter_rows():
            rows.append([_cell_text(c) for c in row])
            if len(rows) > MAX_LINES + 10:
                break
    except Exception as e:  # calamine raises many kinds for a broken or foreign file
        raise ApplicationError(
            _("The file cannot be read as a spreadsheet: upload .xlsx, .xls or .csv."), field="file"
        ) from e
    return rows


def quick_order_parse_file(*, name: str, data: bytes) -> list[tuple[int, str, str]]:
    """(row number, article, quantity text) of an uploaded spreadsheet; the article and quantity
    columns are found by their headers (Russian or English), else the first two columns."""
    if not data:
        raise ApplicationError(_("The file is empty."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise ApplicationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}, field="file"
        )
    rows = _read_rows(name, data)
    header, article_col, quantity_col = _header_columns(rows)
    result = []
    for index, row in enumerate(rows):
        if index <= header:
            continue
        article = row[article_col].strip() if article_col < len(row) else ""
        quantity = row[quantity_col].strip() if quantity_col < len(row) else ""
        if not article and not quantity:
            continue
        result.append((index + 1, article, quantity))
    if header < 0 and result and quantity_parse(result[0][2]) is None:
        result = result[1:]  # an unrecognised header row
    if not result:
        raise ApplicationError(_("The file has no lines with an article and a quantity."), field="file")
    return result


# Checking and adding ---------------------------------------------------------------------------


def _lookup(articles: set[str]) -> dict[str, Product]:
    keys = articles | {a.upper() for a in articles}
    found = {p.article: p for p in Product.objects.filter(article__in=keys).select_related("unit")}
    by_key = {}
    for a in articles:
        product = found.get(a) or found.get(a.upper())
        if product is not None:
            by_key[a] = product
    missing = articles - set(by_key)
    if missing:
        pairs = list(Barcode.objects.filter(code__in=missing).values_list("code", "product_id"))
        if pairs:
            ids = {pid for _code, pid in pairs}
            by_id = {p.pk: p for p in Product.objects.filter(pk__in=ids).select_related("unit")}
            by_key.update({code: by_id[pid] for code, pid in pairs if pid in by_id})
    return by_key


def _suggest(article: str, contract) -> list[tuple[str, str]]:
    from optovik.catalog.search import product_search

    return _articles_and_names(product_search(q=article, contract=contract, limit=3).product_ids[:3])


def _analogs(product: Product, contract) -> list[tuple[str, str]]:
    from optovik.catalog.selectors import product_analog_ids

    return _articles_and_names(product_analog_ids(contract=contract, product_id=product.pk)[:3])


def _articles_and_names(ids: list[int]) -> list[tuple[str, str]]:
    names = {pk: (a, n) for pk, a, n in Product.objects.filter(pk__in=ids).values_list("pk", "article", "name")}
    return [names[pk] for pk in ids if pk in names]


def quick_order_check(*, contract, rows: list[tuple[int, str, str]]) -> QuickReport:
    """The verdict of every line, without touching the cart."""
    if len(rows) > MAX_LINES:
        raise ApplicationError(
            _("Too many lines: at most %(count)s at once. Split the list.") % {"count": MAX_LINES}, field="file"
        )
    report = QuickReport()
    products = _lookup({article for _n, article, _q in rows if article})
    visible = set(
        product_visible_queryset(contract=contract)
        .filter(pk__in={p.pk for p in products.values()})
        .values_list("pk", flat=True)
    )
    first_line: dict[int, ReportLine] = {}
    suggested = 0
    for number, article, raw in rows:
        line = ReportLine(number=number, article=article, raw_quantity=raw)
        report.lines.append(line)
        product = products.get(article)
        if product is None:
            line.verdict = Verdict.UNKNOWN
            line.message = _("Unknown article.") if article else _("No article.")
            if article and suggested < MAX_SUGGESTED and len(article) <= 64:
                suggested += 1
                line.suggestions = _suggest(article, contract)
            continue
        line.article, line.product_id = product.article, product.pk
        if product.pk not in visible:
            line.verdict = Verdict.UNAVAILABLE
            if not product.is_active:  # archived: what to order instead
                line.message = _("No longer sold.")
                if suggested < MAX_SUGGESTED:
                    suggested += 1
                    line.analogs = _analogs(product, contract)
            elif contract.specification_only:
                line.verdict, line.message = Verdict.NOT_IN_SPECIFICATION, _("Not in the contract's specification.")
            else:
                line.message = _("Not available for ordering.")
            continue
        quantity = quantity_parse(raw)
        pack = product.pack_multiplicity or Decimal(1)
        if quantity is None or raw.startswith("="):
            line.verdict, line.message = Verdict.BAD_QUANTITY, _("The quantity is not a number.")
        elif quantity <= 0:
            line.verdict, line.message = Verdict.BAD_QUANTITY, _("The quantity must be greater than zero.")
        elif quantity > MAX_QUANTITY:
            line.verdict, line.message = Verdict.BAD_QUANTITY, _("The quantity is too large.")
        elif quantity != quantity.to_integral_value() and pack == pack.to_integral_value():
            line.verdict = Verdict.BAD_QUANTITY
            line.message = _("%(unit)s are counted in whole numbers.") % {"unit": product.unit.name}
        if line.verdict:
            continue
        rounded = quantity_round_to_pack(product=product, quantity=quantity)
        line.quantity = rounded
        if rounded != quantity:
            line.verdict = Verdict.ROUNDED
            line.message = _("Rounded to %(quantity)s: sold in packs of %(pack)s, from %(minimum)s.") % {
                "quantity": quantity_text(rounded),
                "pack": quantity_text(pack),
                "minimum": quantity_text(product.min_order_quantity or pack),
            }
        else:
            line.verdict = Verdict.ADDED
        earlier = first_line.get(product.pk)
        if earlier is not None:
            earlier.quantity += rounded
            line.verdict = Verdict.MERGED
            line.message = _("Duplicate: merged into line %(number)s (%(quantity)s in total).") % {
                "number": earlier.number,
                "quantity": quantity_text(earlier.quantity),
            }
            line.quantity = None
        else:
            first_line[product.pk] = line
    return report


@transaction.atomic
def quick_order_add(*, cart: Cart, rows: list[tuple[int, str, str]]) -> QuickReport:
    """Checks the lines and adds every line that can be ordered to the cart, all at once."""
    report = quick_order_check(contract=cart.contract, rows=rows)
    items = [(line.product_id, line.quantity) for line in report.lines if line.ok and line.quantity]
    if items:
        existing = set(CartLine.objects.filter(cart=cart).values_list("product_id", flat=True))
        if len(existing | {pid for pid, _q in items}) > MAX_CART_LINES:
            raise ApplicationError(
                _("A cart can hold at most %(count)s lines.") % {"count": MAX_CART_LINES}, field="file"
            )
        cart_add_many(cart=cart, items=items)
    return report

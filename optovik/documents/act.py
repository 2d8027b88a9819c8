"""The reconciliation act (акт сверки взаимных расчётов): its figures and text, and the same
two-sided layout as a spreadsheet."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from optovik.core.errors import ApplicationError

from .data import ActDoc
from .parties import party_dict
from .totals import ActBalances, act_balances
from .words import amount_in_words, format_date, format_money


def act_conclusion(doc: ActDoc, balances: ActBalances) -> str:
    """The closing sentence: "…задолженность в пользу ООО «Ромашка» составляет 1 200,00 руб. (…)" or "…отсутствует"."""
    prefix = f"По данным {doc.seller.name} на {format_date(doc.period_end)}"
    if not balances.closing:
        return f"{prefix} взаимная задолженность отсутствует."
    creditor = doc.seller if balances.closing > 0 else doc.buyer
    amount = abs(balances.closing)
    return (
        f"{prefix} задолженность в пользу {creditor.name} составляет "
        f"{format_money(amount)} руб. ({amount_in_words(amount)})."
    )


def money_or_blank(amount) -> str:
    return format_money(amount) if amount else ""


def act_context(doc: ActDoc) -> tuple[dict, ActBalances]:
    """Everything the act prints, for the PDF and the spreadsheet alike."""
    if doc.period_end < doc.period_start:
        raise ApplicationError(_("The period ends before it starts."), field="period_end")
    balances = act_balances(opening_balance=doc.opening_balance, movements=doc.movements)
    opening_debit, opening_credit = ActBalances.split(balances.opening)
    closing_debit, closing_credit = ActBalances.split(balances.closing)
    period = f"{format_date(doc.period_start)} – {format_date(doc.period_end)}"
    data = {
        "title": f"Акт сверки{f' № {doc.number}' if doc.number else ''}",
        "subtitle": f"взаимных расчётов за период: {period}",
        "between": f"между {doc.seller.name} и {doc.buyer.name}",
        "basis": f"по {doc.basis}" if doc.basis else "",
        "intro": (
            f"Мы, нижеподписавшиеся, {doc.seller.director or '________________'} ({doc.seller.name}), "
            f"с одной стороны, и {doc.buyer.director or '________________'} ({doc.buyer.name}), с другой "
            "стороны, составили настоящий акт сверки в том, что состояние взаимных расчётов по данным "
            "учёта следующее:"
        ),
        "seller": party_dict(doc.seller),
        "buyer": party_dict(doc.buyer),
        "seller_side": f"По данным {doc.seller.name}, руб.",
        "buyer_side": f"По данным {doc.buyer.name}, руб.",
        "opening": [money_or_blank(opening_debit), money_or_blank(opening_credit)],
        "movements": [
            [format_date(m.date), m.document, money_or_blank(m.debit), money_or_blank(m.credit)] for m in doc.movements
        ],
        "turnover": [format_money(balances.turnover_debit), format_money(balances.turnover_credit)],
        "closing": [money_or_blank(closing_debit), money_or_blank(closing_credit)],
        "conclusion": act_conclusion(doc, balances),
        "buyer_conclusion": f"По данным {doc.buyer.name}",
    }
    return data, balances


THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def act_xlsx(doc: ActDoc) -> bytes:
    """The reconciliation act as an .xlsx workbook in the same two-sided layout as the PDF:
    dates and amounts are real dates and numbers, the buyer's half is left for the buyer."""
    data, balances = act_context(doc)
    book = Workbook()
    sheet = book.active
    sheet.title = "Акт сверки"
    for column, width in zip("ABCDEFGH", (11, 34, 14, 14, 11, 34, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width

    def merged(row: int, first: str, last: str, value: str, **style) -> None:
        sheet.merge_cells(f"{first}{row}:{last}{row}")
        cell = sheet[f"{first}{row}"]
        cell.value = value
        for name, setting in style.items():
            setattr(cell, name, setting)

    heading = [data["title"], data["subtitle"], data["between"], data["basis"]]
    for row, text in enumerate(heading, start=1):
        merged(row, "A", "H", text, font=BOLD if row < 3 else Font(), alignment=CENTER)
    merged(5, "A", "H", data["intro"], alignment=WRAP)
    sheet.row_dimensions[5].height = 30

    merged(7, "A", "D", data["seller_side"], font=BOLD, alignment=CENTER)
    merged(7, "E", "H", data["buyer_side"], font=BOLD, alignment=CENTER)
    for column, title in zip("ABCDEFGH", ("Дата", "Документ", "Дебет", "Кредит") * 2, strict=True):
        cell = sheet[f"{column}8"]
        cell.value = title
        cell.font = BOLD
        cell.alignment = CENTER

    def summary_row(row: int, label: str, debit, credit) -> None:
        merged(row, "A", "B", label, font=BOLD)
        merged(row, "E", "F", label, font=BOLD)
        for column, amount in (("C", debit), ("D", credit)):
            if amount:
                cell = sheet[f"{column}{row}"]
                cell.value = amount
                cell.number_format = MONEY_FORMAT
                cell.font = BOLD

    summary_row(9, "Сальдо начальное", *ActBalances.split(balances.opening))
    row = 10
    for movement in doc.movements:
        sheet.cell(row=row, column=1, value=movement.date).number_format = DATE_FORMAT
        sheet.cell(row=row, column=2, value=movement.document).alignment = WRAP
        for column, amount in ((3, movement.debit), (4, movement.credit)):
            if amount:
                sheet.cell(row=row, column=column, value=amount).number_format = MONEY_FORMAT
        row += 1
    summary_row(row, "Обороты за период", balances.turnover_debit, balances.turnover_credit)
    summary_row(row + 1, "Сальдо конечное", *ActBalances.split(balances.closing))
    last_table_row = row + 1
    for line in sheet.iter_rows(min_row=7, max_row=last_table_row, max_col=8):
        for cell in line:
            cell.border = BORDER

    row = last_table_row + 2
    merged(row, "A", "D", data["conclusion"], font=BOLD, alignment=WRAP)
    merged(row, "E", "H", data["buyer_conclusion"], alignment=WRAP)
    sheet.row_dimensions[row].height = 45
    merged(row + 2, "A", "D", f"От {doc.seller.name}", font=BOLD)
    merged(row + 2, "E", "H", f"От {doc.buyer.name}", font=BOLD)
    merged(row + 4, "A", "D", f"Руководитель ________________ ({doc.seller.director})")
    merged(row + 4, "E", "H", "________________ ________________ (________________)")
    sheet["A" + str(row + 6)] = "М.П."
    sheet["E" + str(row + 6)] = "М.П."

    sheet.print_title_rows = "7:8"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

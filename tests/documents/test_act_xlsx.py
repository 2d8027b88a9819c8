import dataclasses
import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from optovik.documents.render import act_xlsx

from .conftest import TRICKY_NAME


def cells(sheet) -> dict[str, object]:
    return {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None}


def test_act_workbook_has_both_sides_real_numbers_and_the_conclusion(act):
    sheet = load_workbook(io.BytesIO(act_xlsx(act))).active
    values = cells(sheet)

    assert values["A1"] == "Акт сверки"
    assert values["A2"] == "взаимных расчётов за период: 01.07.2026 – 30.09.2026"
    assert values["A7"] == 'По данным ООО "Оптовик Снаб", руб.'
    assert values["E7"] == 'По данным ООО "СтройМаркет", руб.'
    assert [values[f"{c}8"] for c in "ABCDEFGH"] == ["Дата", "Документ", "Дебет", "Кредит"] * 2
    assert values["A9"] == "Сальдо начальное" and values["C9"] == 1000
    assert values["A10"] == datetime.datetime(2026, 7, 5)
    assert values["B10"] == "Продажа (УПД № 1 от 05.07.2026)"
    assert values["C10"] == 5000
    assert values["D11"] == 3000
    assert values["A12"] == "Обороты за период" and (values["C12"], values["D12"]) == (5000, 3000)
    assert values["A13"] == "Сальдо конечное" and values["C13"] == 3000 and "D13" not in values
    assert sheet["C10"].number_format == "#,##0.00"
    # The buyer's half stays blank for the buyer to fill in.
    assert not any(values.get(f"{c}{row}") for c in "GH" for row in range(9, 14))
    assert values["A15"].endswith("составляет 3\u00a0000,00 руб. (Три тысячи рублей 00 копеек).")
    assert sheet.print_title_rows == "$7:$8"


def test_act_workbook_keeps_text_as_text(act):
    buyer = dataclasses.replace(act.buyer, name=TRICKY_NAME)
    doc = dataclasses.replace(act, buyer=buyer, opening_balance=Decimal("-10.5"), movements=())
    values = cells(load_workbook(io.BytesIO(act_xlsx(doc))).active)

    assert values["E7"] == f"По данным {TRICKY_NAME}, руб."
    assert values["D9"] == 10.5

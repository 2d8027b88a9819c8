import dataclasses
import datetime
import re
import subprocess
from decimal import Decimal

import pytest
import typst

from optovik.core.errors import ApplicationError
from optovik.documents import engine
from optovik.documents.render import (
    ActMovement,
    InvoiceLine,
    render_act_pdf,
    render_invoice_pdf,
    render_upd_pdf,
)

from .conftest import TRICKY_NAME, act_movements, flat, pdf_page_count, pdf_pages, pdf_text, upd_lines


def test_invoice_prints_requisites_number_totals_and_words(invoice):
    text = pdf_text(render_invoice_pdf(invoice))

    assert "Счёт на оплату № 1234 от 23 ноября 2026 г." in text
    for requisite in ("ИНН 7707083893", "КПП 773601001", "044525225", "40702810938000012345", "30101810400000000225"):
        assert requisite in text
    assert "ИНН 5001000001" in text and "КПП 500101001" in text
    assert "ПАО Сбербанк, г. Москва" in text
    assert "Договор поставки № 15/26 от 01.02.2026" in text
    for header in ("Товары (работы, услуги)", "Кол-во", "Ед.", "Цена", "Сумма"):
        assert header in text
    assert "Книга «Кладка»" in text
    lines = text.splitlines()
    assert any("Итого:" in line and "6 101,00" in line for line in lines)
    assert any("В том числе НДС (22%):" in line and "991,81" in line for line in lines)
    assert any("В том числе НДС (10%):" in line and "54,64" in line for line in lines)
    assert any("Всего к оплате:" in line and "6 101,00" in line for line in lines)
    assert "Всего наименований 3, на сумму 6 101,00 руб." in text
    assert "Шесть тысяч сто один рубль 00 копеек" in text
    assert "Оплатить не позднее 30.11.2026." in text
    assert "Счёт действителен 5 банковских дней." in text
    assert "Руководитель" in text and "Иванов И. И." in text
    assert "Главный бухгалтер" in text and "Петрова А. А." in text


def test_invoice_with_prices_without_vat_adds_vat_on_top(invoice):
    doc = dataclasses.replace(
        invoice,
        prices_include_vat=False,
        lines=(InvoiceLine(name="Цемент", quantity=Decimal(2), unit="шт", price=Decimal("100"), vat_rate=22),),
    )
    lines = pdf_text(render_invoice_pdf(doc)).splitlines()

    assert any("Итого:" in line and "200,00" in line for line in lines)
    assert any("Сумма НДС (22%):" in line and "44,00" in line for line in lines)
    assert any("Всего к оплате:" in line and "244,00" in line for line in lines)


def test_invoice_without_vat_says_so(invoice):
    doc = dataclasses.replace(
        invoice, lines=(InvoiceLine(name="Услуга", quantity=Decimal(1), unit="шт", price=Decimal("21"), vat_rate=None),)
    )
    text = pdf_text(render_invoice_pdf(doc))

    assert "Без налога (НДС):" in text
    assert "НДС (" not in text
    assert "Двадцать один рубль 00 копеек" in text


def test_invoice_without_lines_is_refused(invoice):
    with pytest.raises(ApplicationError) as error:
        render_invoice_pdf(dataclasses.replace(invoice, lines=()))
    assert error.value.field == "lines"


def test_typst_markup_in_data_prints_literally(invoice, upd, act):
    buyer = dataclasses.replace(invoice.buyer, name=TRICKY_NAME)
    line = dataclasses.replace(invoice.lines[0], name='Болт #strong[M8] *10* $y$ ] "')

    invoice_text = pdf_text(render_invoice_pdf(dataclasses.replace(invoice, buyer=buyer, lines=(line,))), layout=False)
    upd_text = pdf_text(render_upd_pdf(dataclasses.replace(upd, buyer=buyer)), layout=False)
    act_text = pdf_text(render_act_pdf(dataclasses.replace(act, buyer=buyer)), layout=False)

    for text in (invoice_text, upd_text, act_text):
        assert TRICKY_NAME in flat(text)
    assert 'Болт #strong[M8] *10* $y$ ] "' in invoice_text


def test_documents_embed_only_the_shipped_fonts(invoice):
    fonts = subprocess.run(
        ["pdffonts", "-"], input=render_invoice_pdf(invoice), capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows
    assert all("DejaVu" in row and " yes " in row for row in rows)


def test_upd_prints_header_table_and_totals(upd):
    pdf = render_upd_pdf(upd)
    text = pdf_text(pdf)
    flat_text = flat(pdf_text(pdf, layout=False))

    assert "Универсальный" in text and "передаточный" in text
    assert re.search(r"Статус: +1 ", text)
    assert "Счет-фактура № 987 от 23 ноября 2026 г." in flat_text
    assert 'Продавец: ООО "Оптовик Снаб"' in flat_text
    assert "ИНН/КПП продавца: 7707083893/773601001" in flat_text
    assert "ИНН/КПП покупателя: 5001000001/500101001" in flat_text
    assert "Грузоотправитель и его адрес: он же" in flat_text
    assert 'Грузополучатель и его адрес: ООО "СтройМаркет", 141000, г. Мытищи' in flat_text
    assert "К платежно-расчетному документу № 45 от 20.11.2026" in flat_text
    assert "Валюта: наименование, код Российский рубль, 643" in flat_text
    for column in ("А", "1а", "1б", "2а", "10а", "11"):
        assert f" {column} " in flat_text
    # 2 × 101.10 + 3 × 102.10 + 4 × 103.10 = 920.90 with 22 % included: VAT 166.06, net 754.84
    total = next(line for line in text.splitlines() if "Всего к оплате" in line)
    assert "754,84" in total and "166,06" in total and "920,90" in total
    assert "Договор поставки № 15/26 от 01.02.2026" in flat_text
    assert "Кладовщик" in text and "Смирнов К. К." in text
    assert "Документ составлен на 1 листах" in flat_text


def test_upd_status_2_and_bad_status(upd):
    assert re.search(r"Статус: +2 ", pdf_text(render_upd_pdf(dataclasses.replace(upd, status=2))))
    with pytest.raises(ApplicationError) as error:
        render_upd_pdf(dataclasses.replace(upd, status=3))
    assert error.value.field == "status"


def test_upd_of_200_lines_repeats_the_table_header_on_every_page(upd):
    pdf = render_upd_pdf(dataclasses.replace(upd, lines=upd_lines(200)))

    pages = pdf_pages(pdf)
    assert pdf_page_count(pdf) == len(pages) > 1
    table_pages = [page for page in pages if "Товар 1" in page or "Всего к оплате" in page]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Наименование товара" in page
        assert "Код вида" in page
    text = "".join(pages)
    # No row is split between pages: every line keeps its code, name and amounts together.
    rows = [line for line in text.splitlines() if re.search(r"Товар \d+ ", line)]
    assert len(rows) == 200
    assert all(re.search(r"A-(\d+) +\1 +Товар \1 .*22%", row) for row in rows)
    assert f"Документ составлен на {len(pages)} листах" in flat(pdf_text(pdf, layout=False))


def test_act_prints_balances_turnovers_and_conclusion(act):
    pdf = render_act_pdf(act)
    text = pdf_text(pdf)
    flat_text = flat(pdf_text(pdf, layout=False))

    assert "Акт сверки" in text
    assert "взаимных расчётов за период: 01.07.2026 – 30.09.2026" in text
    assert 'между ООО "Оптовик Снаб" и ООО "СтройМаркет"' in text
    assert 'По данным ООО "Оптовик Снаб", руб.' in text
    assert 'По данным ООО "СтройМаркет", руб.' in text
    lines = text.splitlines()
    assert any("Сальдо начальное" in line and "1 000,00" in line for line in lines)
    assert any("05.07.2026" in line and "5 000,00" in line for line in lines)
    assert any("20.07.2026" in line and "3 000,00" in line for line in lines)
    assert any("Обороты за период" in line and "5 000,00" in line and "3 000,00" in line for line in lines)
    assert any("Сальдо конечное" in line and "3 000,00" in line for line in lines)
    assert (
        'По данным ООО "Оптовик Снаб" на 30.09.2026 задолженность в пользу ООО "Оптовик Снаб" составляет '
        "3 000,00 руб. (Три тысячи рублей 00 копеек)."
    ) in flat_text
    assert "Иванов И. И." in text


def test_act_conclusion_when_seller_owes_and_when_settled(act):
    overpaid = dataclasses.replace(
        act,
        movements=(
            *act.movements,
            ActMovement(date=datetime.date(2026, 9, 1), document="Оплата", credit=Decimal("3500.01")),
        ),
    )
    assert 'задолженность в пользу ООО "СтройМаркет" составляет 500,01 руб. (Пятьсот рублей 01 копейка).' in flat(
        pdf_text(render_act_pdf(overpaid), layout=False)
    )
    settled = dataclasses.replace(
        act,
        movements=(
            *act.movements,
            ActMovement(date=datetime.date(2026, 9, 1), document="Оплата", credit=Decimal(3000)),
        ),
    )
    assert 'По данным ООО "Оптовик Снаб" на 30.09.2026 взаимная задолженность отсутствует.' in flat(
        pdf_text(render_act_pdf(settled), layout=False)
    )


def test_negative_opening_balance_goes_to_credit(act):
    pdf = render_act_pdf(dataclasses.replace(act, opening_balance=Decimal("-250"), movements=()))
    text = pdf_text(pdf)

    opening = next(line for line in text.splitlines() if "Сальдо начальное" in line)
    turnover = next(line for line in text.splitlines() if "Обороты за период" in line)
    # The credit column ends where the turnover's credit figure ends.
    assert opening.index("250,00") + len("250,00") == turnover.index("0,00", turnover.index("0,00") + 4) + 4
    assert 'задолженность в пользу ООО "СтройМаркет" составляет 250,00 руб.' in flat(pdf_text(pdf, layout=False))


def test_long_act_repeats_both_headers_on_every_page(act):
    pdf = render_act_pdf(dataclasses.replace(act, movements=act_movements(300)))

    pages = pdf_pages(pdf)
    assert len(pages) > 1
    rows = [line for page in pages for line in page.splitlines() if "Продажа № " in line]
    assert len(rows) == 300
    assert all(re.match(r" *\d\d\.\d\d\.2026 +Продажа № \d+ .* +100,00$", row) for row in rows)
    for page in pages:
        if "Продажа № " in page:
            assert 'По данным ООО "Оптовик Снаб", руб.' in page
            assert "Дебет" in page and "Кредит" in page
    assert "Обороты за период" in pages[-1] or "Обороты за период" in pages[-2]


def test_act_period_ending_before_it_starts_is_refused(act):
    with pytest.raises(ApplicationError) as error:
        render_act_pdf(dataclasses.replace(act, period_end=datetime.date(2026, 6, 1)))
    assert error.value.field == "period_end"


def test_fonts_ship_with_the_package_and_carry_their_license():
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(engine.FONTS_DIR)])

    assert {"DejaVu Sans", "DejaVu Serif"} <= set(fonts.families())
    assert "Bitstream" in (engine.FONTS_DIR / "LICENSE").read_text()

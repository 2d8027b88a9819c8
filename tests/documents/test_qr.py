import io
import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from optovik.core.errors import ApplicationError
from optovik.documents.qr import (
    parse_payment_qr_payload,
    payment_qr_payload,
    payment_qr_png,
    payment_qr_svg,
)
from optovik.documents.render import render_invoice_pdf

PAYEE = {
    "payee_name": 'ООО "Оптовик Снаб"',
    "account": "40702810938000012345",
    "bank_name": "ПАО Сбербанк, г. Москва",
    "bik": "044525225",
    "correspondent_account": "30101810400000000225",
    "payee_inn": "7707083893",
    "payee_kpp": "773601001",
}


def decode(png: bytes) -> list:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


def test_payload_carries_every_field_in_order():
    payload = payment_qr_payload(
        **PAYEE, amount=Decimal("12345.6"), purpose="Оплата по счёту № 1", payer_inn="5001000001"
    )

    tag, *fields = payload.split("|")
    assert tag == "ST00012"
    assert [field.split("=", 1)[0] for field in fields] == [
        "Name",
        "PersonalAcc",
        "BankName",
        "BIC",
        "CorrespAcc",
        "Sum",
        "Purpose",
        "PayeeINN",
        "KPP",
        "PayerINN",
    ]
    parsed = parse_payment_qr_payload(payload)
    assert parsed["Name"] == 'ООО "Оптовик Снаб"'
    assert parsed["PersonalAcc"] == "40702810938000012345"
    assert parsed["BIC"] == "044525225"
    assert parsed["CorrespAcc"] == "30101810400000000225"
    assert parsed["Sum"] == "1234560"  # kopecks
    assert parsed["Purpose"] == "Оплата по счёту № 1"
    assert parsed["PayeeINN"] == "7707083893"
    assert parsed["KPP"] == "773601001"
    assert parsed["PayerINN"] == "5001000001"


def test_separators_and_line_breaks_cannot_break_the_fields():
    payload = payment_qr_payload(
        **(PAYEE | {"payee_name": "ООО |Ромашка|\nСевер"}), amount=Decimal(1), purpose="за товар|\r\nпо счёту"
    )
    parsed = parse_payment_qr_payload(payload)
    assert parsed["Name"] == "ООО Ромашка Север"
    assert parsed["Purpose"] == "за товар по счёту"
    assert "\n" not in payload
    assert payload.count("|") == len(parsed)


def test_empty_optional_fields_are_left_out():
    payload = payment_qr_payload(**(PAYEE | {"payee_kpp": ""}), amount=Decimal(0), purpose="")
    assert set(parse_payment_qr_payload(payload)) == {
        "Name",
        "PersonalAcc",
        "BankName",
        "BIC",
        "CorrespAcc",
        "Sum",
        "PayeeINN",
    }


@pytest.mark.parametrize("missing", ["account", "bik", "bank_name", "payee_name", "correspondent_account"])
def test_mandatory_field_missing_is_refused(missing):
    with pytest.raises(ApplicationError):
        payment_qr_payload(**(PAYEE | {missing: " "}), amount=Decimal(1), purpose="x")


def test_negative_amount_is_refused():
    with pytest.raises(ApplicationError) as error:
        payment_qr_payload(**PAYEE, amount=Decimal("-1"), purpose="x")
    assert error.value.field == "amount"


def test_png_decodes_back_to_the_payload_with_error_correction_m():
    payload = payment_qr_payload(**PAYEE, amount=Decimal("999.99"), purpose="Оплата по счёту № 77 от 01.12.2026")

    (result,) = decode(payment_qr_png(payload))

    assert result.text == payload
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level == "M"


def test_svg_is_a_standalone_document():
    svg = payment_qr_svg(payment_qr_payload(**PAYEE, amount=Decimal(1), purpose="x"))
    assert svg.startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_qr_on_the_invoice_page_pays_the_invoice(invoice, tmp_path):
    pdf = render_invoice_pdf(invoice)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-", str(tmp_path / "page")], input=pdf, check=True)

    (result,) = decode((tmp_path / "page.png").read_bytes())

    fields = parse_payment_qr_payload(result.text)
    assert fields["Sum"] == "610100"  # 4 500 + 601 + 1 000 roubles
    assert fields["PersonalAcc"] == invoice.seller.account
    assert fields["BIC"] == invoice.seller.bik
    assert fields["PayerINN"] == invoice.buyer.inn
    assert fields["Purpose"].startswith("Оплата по счёту № 1234 от 23.11.2026")

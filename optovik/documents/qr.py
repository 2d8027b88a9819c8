"""Payment QR code in the ST00012 format of GOST R 56042-2014.

The payload starts with the format tag "ST0001" and the encoding digit (1 windows-1251, 2 UTF-8,
3 KOI8-R); we always write UTF-8, so "ST00012". Then come "Key=Value" fields separated by "|":
the five mandatory payee fields first, then the optional ones. Banking apps read the code and
fill in a payment order.
"""

import functools
import io
from decimal import Decimal

import segno
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.core.money import round_money

FORMAT_TAG = "ST00012"
SEPARATOR = "|"


def clean_value(value: str) -> str:
    """A field value with the separator and line breaks removed, which would break the format."""
    value = str(value).replace(SEPARATOR, " ").replace("\r", " ").replace("\n", " ")
    return " ".join(value.split())


def payment_qr_payload(
    *,
    payee_name: str,
    account: str,
    bank_name: str,
    bik: str,
    correspondent_account: str,
    amount: Decimal,
    purpose: str,
    payee_inn: str,
    payee_kpp: str = "",
    payer_inn: str = "",
) -> str:
    """The ST00012 text for a payment of ``amount`` roubles to the payee's account.

    ``Sum`` is in kopecks. Empty optional fields are left out.
    """
    mandatory = {
        "Name": payee_name,
        "PersonalAcc": account,
        "BankName": bank_name,
        "BIC": bik,
        "CorrespAcc": correspondent_account,
    }
    for key, value in mandatory.items():
        if not clean_value(value):
            raise ApplicationError(_("The payment QR code needs the field %(field)s.") % {"field": key}, field=key)
    amount = round_money(amount)
    if amount < 0:
        raise ApplicationError(_("The payment amount cannot be negative."), field="amount")
    optional = {
        "Sum": str(int(amount * 100)),
        "Purpose": purpose,
        "PayeeINN": payee_inn,
        "KPP": payee_kpp,
        "PayerINN": payer_inn,
    }
    fields = [f"{key}={clean_value(value)}" for key, value in mandatory.items()]
    fields += [f"{key}={clean_value(value)}" for key, value in optional.items() if clean_value(value)]
    return SEPARATOR.join([FORMAT_TAG, *fields])


def parse_payment_qr_payload(payload: str) -> dict[str, str]:
    """The fields of an ST00012 payload as a dict; raises ``ValueError`` for another format."""
    tag, *fields = payload.split(SEPARATOR)
    if tag != FORMAT_TAG:
        raise ValueError(f"Not an ST00012 payload: {tag!r}")
    return dict(field.split("=", 1) for field in fields)


QR_MASK = 2


def payment_qr(payload: str) -> segno.QRCode:
    """The QR code of a payload: byte mode, UTF-8, error correction level M as the standard asks.

    The mask pattern is fixed: every reader decodes all eight patterns, and scoring the eight to
    pick the "best" one costs about 15 ms, half of rendering a whole invoice. The tests decode the
    rendered code with a real reader."""
    return segno.make(payload, error="m", encoding="utf-8", micro=False, boost_error=False, mask=QR_MASK)


@functools.lru_cache(maxsize=256)
def payment_qr_svg(payload: str) -> str:
    """The QR code as a standalone SVG document. Cached: choosing the mask pattern is most of the
    cost of rendering an invoice, and an issued invoice is rendered again with the same payload."""
    buffer = io.BytesIO()
    payment_qr(payload).save(buffer, kind="svg", xmldecl=False, border=2, scale=4)
    return buffer.getvalue().decode()


def payment_qr_png(payload: str, *, scale: int = 4) -> bytes:
    """The QR code as a PNG image."""
    buffer = io.BytesIO()
    payment_qr(payload).save(buffer, kind="png", border=4, scale=scale)
    return buffer.getvalue()

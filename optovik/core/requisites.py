"""Checks of Russian requisites: INN, KPP, OGRN/OGRNIP, BIK and bank accounts.

Each check raises ``ValidationError`` with a message that says what is wrong, so a form can show
it next to the field.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

_ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]


def _digits(value: str, length: tuple[int, ...], what: str) -> str:
    value = (value or "").strip()
    if not value.isdigit():
        raise ValidationError(_("%(what)s must contain digits only.") % {"what": what}, code="format")
    if len(value) not in length:
        lengths = _(" or ").join(str(n) for n in length)
        raise ValidationError(
            _("%(what)s must have %(lengths)s digits, not %(n)s.")
            % {"what": what, "lengths": lengths, "n": len(value)},
            code="length",
        )
    return value


def validate_inn(value: str) -> None:
    value = _digits(value, (10, 12), _("INN"))
    try:
        stdnum_inn.validate(value)
    except (InvalidChecksum, InvalidFormat, InvalidLength):
        raise ValidationError(_("INN %(value)s has a wrong check digit.") % {"value": value}, code="checksum")


def validate_kpp(value: str) -> None:
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", value):
        raise ValidationError(
            _("KPP must have 9 characters: 4 digits, 2 digits or Latin letters, 3 digits."), code="format"
        )


def validate_ogrn(value: str) -> None:
    """OGRN (13 digits, organisations) or OGRNIP (15 digits, sole proprietors)."""
    value = _digits(value, (13, 15), _("OGRN"))
    try:
        stdnum_ogrn.validate(value)
    except (InvalidChecksum, InvalidFormat, InvalidLength):
        raise ValidationError(_("OGRN %(value)s has a wrong check digit.") % {"value": value}, code="checksum")


def validate_bik(value: str) -> None:
    value = _digits(value, (9,), _("BIK"))
    if not value.startswith("04"):
        raise ValidationError(_("A Russian BIK starts with 04."), code="format")


def _account_key_ok(prefix3: str, account: str) -> bool:
    digits = prefix3 + account
    return sum(int(d) * w for d, w in zip(digits, _ACCOUNT_WEIGHTS, strict=True)) % 10 == 0


def validate_settlement_account(account: str, bik: str) -> None:
    """Settlement account (расчётный счёт): 20 digits whose control key matches the bank's BIK."""
    account = _digits(account, (20,), _("Settlement account"))
    bik = (bik or "").strip()
    if len(bik) == 9 and bik.isdigit() and not _account_key_ok(bik[-3:], account):
        raise ValidationError(
            _("Settlement account %(account)s does not match BIK %(bik)s (control key).")
            % {"account": account, "bik": bik},
            code="checksum",
        )


def validate_correspondent_account(account: str, bik: str) -> None:
    """Correspondent account (корр. счёт): 20 digits starting with 301, keyed to the BIK."""
    account = _digits(account, (20,), _("Correspondent account"))
    if not account.startswith("301"):
        raise ValidationError(_("A correspondent account starts with 301."), code="format")
    bik = (bik or "").strip()
    if len(bik) == 9 and bik.isdigit() and not _account_key_ok("0" + bik[4:6], account):
        raise ValidationError(
            _("Correspondent account %(account)s does not match BIK %(bik)s (control key).")
            % {"account": account, "bik": bik},
            code="checksum",
        )


def normalize_phone(value: str) -> str:
    """Keeps phones as +7XXXXXXXXXX (Russian) or +<digits> (other countries); '' stays ''."""
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits[0] == "9":
        digits = "7" + digits
    if not 10 <= len(digits) <= 15:
        raise ValidationError(_("Enter a phone number with its area code, e.g. +7 495 123-45-67."), code="phone")
    return "+" + digits


# Builders of valid numbers, for demo data and tests: they complete a prefix with its check digits.


def _inn_digit(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def inn_complete(prefix: str) -> str:
    """9 digits → an organisation's INN; 10 digits → a sole proprietor's INN."""
    if len(prefix) == 9:
        return prefix + _inn_digit(prefix, (2, 4, 10, 3, 5, 9, 4, 6, 8))
    if len(prefix) == 10:
        n11 = prefix + _inn_digit(prefix, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        return n11 + _inn_digit(n11, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    raise ValueError("An INN prefix has 9 or 10 digits.")


def ogrn_complete(prefix: str) -> str:
    """12 digits → OGRN; 14 digits → OGRNIP."""
    if len(prefix) == 12:
        return prefix + str(int(prefix) % 11 % 10)
    if len(prefix) == 14:
        return prefix + str(int(prefix) % 13 % 10)
    raise ValueError("An OGRN prefix has 12 or 14 digits.")


def _account_complete(prefix3: str, account: str) -> str:
    """Sets the control key (the 9th digit) of a 20-digit account."""
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        if _account_key_ok(prefix3, candidate):
            return candidate
    raise AssertionError("unreachable: one key digit always fits")


def settlement_account_complete(account: str, bik: str) -> str:
    return _account_complete(bik[-3:], account)


def correspondent_account_complete(account: str, bik: str) -> str:
    return _account_complete("0" + bik[4:6], account)

"""Amounts in words and the number and date formats of Russian business documents.

The printed forms (invoice, УПД, reconciliation act) are legal documents kept in Russian, so
these helpers produce Russian text whatever the interface language is.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

KOPECK = Decimal("0.01")

# (major unit forms, minor unit forms) as (one, few, many): 1 рубль, 2 рубля, 5 рублей.
CURRENCY_FORMS = {
    "RUB": (("рубль", "рубля", "рублей"), ("копейка", "копейки", "копеек")),
    "USD": (("доллар США", "доллара США", "долларов США"), ("цент", "цента", "центов")),
    "EUR": (("евро", "евро", "евро"), ("цент", "цента", "центов")),
}

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

NBSP = "\u00a0"


def plural_form(number: int, forms: tuple[str, str, str]) -> str:
    """The noun form that agrees with ``number``: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    number = abs(number)
    if number % 100 in range(11, 15):
        return forms[2]
    last = number % 10
    if last == 1:
        return forms[0]
    if last in (2, 3, 4):
        return forms[1]
    return forms[2]


def to_kopecks(amount: Decimal) -> Decimal:
    """``amount`` rounded to kopecks, half up."""
    return Decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)


def amount_in_words(amount: Decimal, currency: str = "RUB") -> str:
    """The amount as invoices write it: "Сто двадцать три рубля 45 копеек".

    The whole part is spelled out, the kopecks stay two digits; a negative amount starts with "Минус".
    """
    try:
        major_forms, minor_forms = CURRENCY_FORMS[currency]
    except KeyError:
        raise ValueError(f"Unsupported currency: {currency}")
    amount = to_kopecks(amount)
    negative = amount < 0
    whole, minor = divmod(int(abs(amount) * 100), 100)
    # Рубль and доллар are masculine, which is num2words' default for "ru"; тысяча is feminine
    # and num2words agrees it by itself ("одна тысяча", "две тысячи").
    words = num2words(whole, lang="ru")
    text = f"{words} {plural_form(whole, major_forms)} {minor:02d} {plural_form(minor, minor_forms)}"
    if negative:
        text = f"минус {text}"
    return text[0].upper() + text[1:]


def format_money(amount: Decimal) -> str:
    """``1234567.8`` → "1 234 567,80" with non-breaking spaces between thousands."""
    amount = to_kopecks(amount)
    sign = "-" if amount < 0 else ""
    whole, minor = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{minor}"


def format_quantity(quantity: Decimal) -> str:
    """A quantity without trailing zeros: 10, 2,5, 1 000, 0,125."""
    quantity = Decimal(quantity)
    text = f"{quantity.normalize():f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    result = sign + NBSP.join(groups or ["0"])
    return f"{result},{fraction}" if fraction else result


def format_date_long(value: datetime.date) -> str:
    """``2026-11-23`` → "23 ноября 2026 г."."""
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def format_date(value: datetime.date | None) -> str:
    """``2026-11-23`` → "23.11.2026"; nothing for no date."""
    return value.strftime("%d.%m.%Y") if value else ""

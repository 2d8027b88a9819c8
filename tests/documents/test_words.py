import datetime
from decimal import Decimal

import pytest

from optovik.documents.words import (
    amount_in_words,
    format_date,
    format_date_long,
    format_money,
    format_quantity,
    plural_form,
)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Ноль рублей 00 копеек"),
        ("1", "Один рубль 00 копеек"),
        ("2", "Два рубля 00 копеек"),
        ("5", "Пять рублей 00 копеек"),
        ("11", "Одиннадцать рублей 00 копеек"),
        ("12", "Двенадцать рублей 00 копеек"),
        ("14", "Четырнадцать рублей 00 копеек"),
        ("21", "Двадцать один рубль 00 копеек"),
        ("22", "Двадцать два рубля 00 копеек"),
        ("111", "Сто одиннадцать рублей 00 копеек"),
        ("123.45", "Сто двадцать три рубля 45 копеек"),
        ("1000", "Одна тысяча рублей 00 копеек"),
        ("2000", "Две тысячи рублей 00 копеек"),
        ("21000", "Двадцать одна тысяча рублей 00 копеек"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("1000000000", "Один миллиард рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("0.02", "Ноль рублей 02 копейки"),
        ("0.11", "Ноль рублей 11 копеек"),
        ("0.21", "Ноль рублей 21 копейка"),
        ("2001.02", "Две тысячи один рубль 02 копейки"),
    ],
)
def test_amount_in_words_agrees_numbers_and_nouns(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_rounds_to_kopecks_half_up():
    assert amount_in_words(Decimal("1.005")) == "Один рубль 01 копейка"


def test_negative_amount_says_minus():
    assert amount_in_words(Decimal("-5.50")) == "Минус пять рублей 50 копеек"


def test_other_currencies_and_unknown_currency():
    assert amount_in_words(Decimal("3.01"), currency="USD") == "Три доллара США 01 цент"
    with pytest.raises(ValueError, match="XYZ"):
        amount_in_words(Decimal(1), currency="XYZ")


@pytest.mark.parametrize(
    ("number", "form"),
    [(1, "a"), (2, "b"), (4, "b"), (5, "c"), (11, "c"), (14, "c"), (21, "a"), (112, "c"), (101, "a")],
)
def test_plural_form(number, form):
    assert plural_form(number, ("a", "b", "c")) == form


def test_number_and_date_formats():
    assert format_money(Decimal("1234567.8")) == "1\u00a0234\u00a0567,80"
    assert format_money(Decimal("0")) == "0,00"
    assert format_quantity(Decimal("1000.500")) == "1\u00a0000,5"
    assert format_quantity(Decimal("10.000")) == "10"
    assert format_date_long(datetime.date(2026, 11, 3)) == "3 ноября 2026 г."
    assert format_date(datetime.date(2026, 1, 9)) == "09.01.2026"
    assert format_date(None) == ""

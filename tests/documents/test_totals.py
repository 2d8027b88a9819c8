from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from optovik.core.errors import ApplicationError
from optovik.documents.render import InvoiceLine
from optovik.documents.totals import act_balances, document_totals, line_amounts

RATES = st.sampled_from([Decimal(22), Decimal(10), Decimal(0), None])
LINES = st.lists(
    st.builds(
        InvoiceLine,
        name=st.just("Товар"),
        quantity=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3),
        unit=st.just("шт"),
        price=st.decimals(min_value=Decimal(0), max_value=Decimal(1000000), places=2),
        vat_rate=RATES,
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(lines=LINES, prices_include_vat=st.booleans())
def test_totals_add_up_to_the_kopeck(lines, prices_include_vat):
    totals = document_totals(lines, prices_include_vat=prices_include_vat)

    for line, amounts in zip(lines, totals.lines, strict=True):
        assert amounts.net + amounts.vat == amounts.gross
        assert amounts.vat == amounts.vat.quantize(Decimal("0.01"))
        if line.vat_rate is None or line.vat_rate == 0:
            assert amounts.vat == 0
        else:
            exact = amounts.gross * line.vat_rate / (100 + line.vat_rate)
            assert abs(amounts.vat - exact) <= Decimal("0.01")
    assert totals.gross == sum(a.gross for a in totals.lines)
    assert totals.net == sum(a.net for a in totals.lines)
    assert totals.vat == sum(a.vat for a in totals.lines)
    assert totals.net + totals.vat == totals.gross
    assert sum(g.gross for g in totals.vat_groups) == totals.gross
    assert sum(g.vat for g in totals.vat_groups) == totals.vat


def test_vat_is_extracted_from_prices_that_include_it():
    amounts = line_amounts(quantity=Decimal(3), price=Decimal("122.00"), vat_rate=22, prices_include_vat=True)
    assert (amounts.net, amounts.vat, amounts.gross) == (Decimal("300.00"), Decimal("66.00"), Decimal("366.00"))


def test_vat_is_charged_on_top_of_prices_without_it():
    amounts = line_amounts(quantity=Decimal(3), price=Decimal("100.00"), vat_rate=10, prices_include_vat=False)
    assert (amounts.net, amounts.vat, amounts.gross) == (Decimal("300.00"), Decimal("30.00"), Decimal("330.00"))


def test_line_without_vat_has_no_tax():
    amounts = line_amounts(quantity=Decimal("2.5"), price=Decimal("10.01"), vat_rate=None, prices_include_vat=True)
    assert (amounts.net, amounts.vat, amounts.gross) == (Decimal("25.03"), Decimal("0.00"), Decimal("25.03"))


def test_vat_groups_by_rate_and_without_vat():
    lines = [
        InvoiceLine(name="a", quantity=Decimal(1), unit="шт", price=Decimal("122"), vat_rate=22),
        InvoiceLine(name="b", quantity=Decimal(1), unit="шт", price=Decimal("110"), vat_rate=10),
        InvoiceLine(name="c", quantity=Decimal(1), unit="шт", price=Decimal("50"), vat_rate=None),
    ]
    totals = document_totals(lines, prices_include_vat=True)
    assert [(g.rate, g.vat) for g in totals.vat_groups] == [(22, Decimal("22.00")), (10, Decimal("10.00")), (None, 0)]
    assert totals.has_vat


@pytest.mark.parametrize(
    ("change", "field"),
    [({"quantity": Decimal(0)}, "quantity"), ({"price": Decimal(-1)}, "price"), ({"vat_rate": 120}, "vat_rate")],
)
def test_bad_line_is_refused_with_its_number_and_field(change, field):
    good = {"name": "a", "quantity": Decimal(1), "unit": "шт", "price": Decimal(1), "vat_rate": 22}
    lines = [InvoiceLine(**good), InvoiceLine(**(good | change))]
    with translation.override("en"), pytest.raises(ApplicationError) as error:
        document_totals(lines, prices_include_vat=True)
    assert error.value.field == field
    assert error.value.message.startswith("Line 2: ")


def test_act_balances(act):
    balances = act_balances(opening_balance=act.opening_balance, movements=act.movements)
    assert balances.turnover_debit == Decimal("5000.00")
    assert balances.turnover_credit == Decimal("3000.00")
    assert balances.closing == Decimal("3000.00")

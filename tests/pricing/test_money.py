from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from optovik.core.money import gross_from_net, net_from_gross, percent_off, round_money, vat_from_gross, vat_from_net

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([Decimal(22), Decimal(20), Decimal(10), Decimal(0)])


def test_round_money_rounds_half_up_to_kopecks():
    assert round_money(Decimal("10.005")) == Decimal("10.01")
    assert round_money(Decimal("10.004")) == Decimal("10.00")
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")
    assert round_money(3) == Decimal("3.00")


def test_vat_of_known_amounts():
    assert vat_from_gross(Decimal("122.00"), Decimal(22)) == Decimal("22.00")
    assert vat_from_net(Decimal("100.00"), Decimal(10)) == Decimal("10.00")
    assert gross_from_net(Decimal("100"), Decimal(22)) == Decimal("122.00")
    assert vat_from_gross(Decimal("100"), Decimal(0)) == Decimal("0.00")


@given(amounts, rates)
def test_net_plus_vat_is_gross_from_a_gross_amount(gross, rate):
    net = net_from_gross(gross, rate)
    assert net + vat_from_gross(gross, rate) == round_money(gross)


@given(amounts, rates)
def test_net_plus_vat_is_gross_from_a_net_amount(net, rate):
    assert gross_from_net(net, rate) == round_money(net) + vat_from_net(net, rate)


@given(amounts, st.decimals(min_value=-50, max_value=150, places=2, allow_nan=False, allow_infinity=False))
def test_percent_off_never_goes_below_zero_or_above_the_amount(amount, percent):
    result = percent_off(amount, percent)
    assert Decimal(0) <= result <= round_money(amount)

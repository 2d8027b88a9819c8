"""Money arithmetic: the one place that rounds amounts and computes VAT.

Amounts are ``Decimal`` in roubles with kopecks; a VAT rate is a percentage (``Decimal("22")``),
``0`` for both 0 % and "без НДС". Rounding is to the kopeck, half up, as Russian documents do.
The functions keep ``net + VAT == gross`` exact: VAT is rounded once and the other amount is
derived from it.
"""

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)


def round_money(amount: Decimal | int | str) -> Decimal:
    """Rounds an amount to kopecks, half up."""
    return Decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)


def vat_from_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in an amount that includes it: gross × rate / (100 + rate)."""
    rate = Decimal(rate)
    if not rate:
        return Decimal("0.00")
    return round_money(Decimal(gross) * rate / (HUNDRED + rate))


def vat_from_net(net: Decimal, rate: Decimal) -> Decimal:
    """The VAT charged on top of an amount without it: net × rate / 100."""
    rate = Decimal(rate)
    if not rate:
        return Decimal("0.00")
    return round_money(Decimal(net) * rate / HUNDRED)


def gross_from_net(net: Decimal, rate: Decimal) -> Decimal:
    """The amount with VAT for an amount without it."""
    net = round_money(net)
    return net + vat_from_net(net, rate)


def net_from_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The amount without VAT for an amount that includes it."""
    gross = round_money(gross)
    return gross - vat_from_gross(gross, rate)


def percent_off(amount: Decimal, percent: Decimal) -> Decimal:
    """``amount`` less ``percent`` %, rounded to kopecks and never below zero."""
    percent = min(max(Decimal(percent), Decimal(0)), HUNDRED)
    return max(round_money(Decimal(amount) * (HUNDRED - percent) / HUNDRED), Decimal("0.00"))

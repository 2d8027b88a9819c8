"""Line and document totals: the one place where the documents' amounts are computed.

Every template receives these figures already computed; the layouts only print them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.core.money import round_money, vat_from_gross, vat_from_net

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmounts:
    """One document line: ``net + vat == gross`` exactly, all rounded to kopecks."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_rate: Decimal | None


@dataclass(frozen=True)
class VatGroup:
    """The VAT of all lines at one rate; ``rate`` None means "без НДС"."""

    rate: Decimal | None
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineAmounts, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_groups: tuple[VatGroup, ...]

    @property
    def has_vat(self) -> bool:
        """Whether any line is subject to VAT (0 % counts; "без НДС" does not)."""
        return any(group.rate is not None for group in self.vat_groups)


def vat_rate_label(rate: Decimal | None) -> str:
    """The rate as printed: 22%, 10%, 0% or «без НДС»."""
    if rate is None:
        return "без НДС"
    return f"{Decimal(rate).normalize():f}%"


def line_amounts(
    *, quantity: Decimal, price: Decimal, vat_rate: Decimal | None, prices_include_vat: bool
) -> LineAmounts:
    """The amounts of one line. The line amount is ``quantity × price`` rounded to kopecks; VAT is
    extracted from it when prices include VAT and charged on top of it otherwise."""
    amount = round_money(Decimal(quantity) * Decimal(price))
    rate = None if vat_rate is None else Decimal(vat_rate)
    if rate is None:
        return LineAmounts(net=amount, vat=ZERO, gross=amount, vat_rate=None)
    if prices_include_vat:
        vat = vat_from_gross(amount, rate)
        return LineAmounts(net=amount - vat, vat=vat, gross=amount, vat_rate=rate)
    vat = vat_from_net(amount, rate)
    return LineAmounts(net=amount, vat=vat, gross=amount + vat, vat_rate=rate)


def line_problem(line) -> tuple[str, str] | None:
    """What is wrong with a line's figures, as (message, field), or None."""
    if Decimal(line.quantity) <= 0:
        return _("the quantity must be positive."), "quantity"
    if Decimal(line.price) < 0:
        return _("the price cannot be negative."), "price"
    if line.vat_rate is not None and not 0 <= Decimal(line.vat_rate) < 100:
        return _("the VAT rate must be between 0 and 100."), "vat_rate"
    return None


def document_totals(lines: Iterable, *, prices_include_vat: bool) -> Totals:
    """Amounts of every line and the document totals, per VAT rate and overall.

    ``lines`` are objects with ``quantity``, ``price`` and ``vat_rate``. Bad figures raise
    ``ApplicationError`` naming the line; the totals are checked to add up to the kopeck.
    """
    computed = []
    for number, line in enumerate(lines, start=1):
        problem = line_problem(line)
        if problem:
            message, field = problem
            raise ApplicationError(
                _("Line %(number)s: %(problem)s") % {"number": number, "problem": message}, field=field
            )
        computed.append(
            line_amounts(
                quantity=line.quantity,
                price=line.price,
                vat_rate=line.vat_rate,
                prices_include_vat=prices_include_vat,
            )
        )
    groups: dict[Decimal | None, list[LineAmounts]] = {}
    for amounts in computed:
        groups.setdefault(amounts.vat_rate, []).append(amounts)
    vat_groups = tuple(
        VatGroup(
            rate=rate,
            net=sum((a.net for a in members), ZERO),
            vat=sum((a.vat for a in members), ZERO),
            gross=sum((a.gross for a in members), ZERO),
        )
        for rate, members in sorted(groups.items(), key=lambda item: -1 if item[0] is None else item[0], reverse=True)
    )
    totals = Totals(
        lines=tuple(computed),
        net=sum((a.net for a in computed), ZERO),
        vat=sum((a.vat for a in computed), ZERO),
        gross=sum((a.gross for a in computed), ZERO),
        vat_groups=vat_groups,
    )
    if totals.net + totals.vat != totals.gross or sum((g.gross for g in vat_groups), ZERO) != totals.gross:
        raise ApplicationError(_("The document totals do not add up."))
    return totals


@dataclass(frozen=True)
class ActBalances:
    """Balances of a reconciliation act from the seller's side; ``closing`` above zero is the
    buyer's debt."""

    opening: Decimal
    turnover_debit: Decimal
    turnover_credit: Decimal
    closing: Decimal

    @staticmethod
    def split(balance: Decimal) -> tuple[Decimal, Decimal]:
        """A signed balance as (debit, credit) columns."""
        return (balance, ZERO) if balance >= 0 else (ZERO, -balance)


def act_balances(*, opening_balance: Decimal, movements: Iterable) -> ActBalances:
    """Turnovers and the closing balance of a reconciliation act."""
    opening = round_money(opening_balance)
    debit = credit = ZERO
    for number, movement in enumerate(movements, start=1):
        if movement.debit < 0 or movement.credit < 0:
            raise ApplicationError(_("Entry %(number)s: amounts cannot be negative.") % {"number": number})
        debit += round_money(movement.debit)
        credit += round_money(movement.credit)
    return ActBalances(opening=opening, turnover_debit=debit, turnover_credit=credit, closing=opening + debit - credit)

"""Template helpers of the settlements pages: a contract's balance for the dashboard card."""

from django import template

from optovik.finance.selectors import contract_balance

register = template.Library()


@register.simple_tag
def contract_balance_of(contract):
    """The contract's balance, credit and overdue debt (two queries)."""
    return contract_balance(contract=contract)

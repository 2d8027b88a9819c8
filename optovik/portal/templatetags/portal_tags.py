import html
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def esc(value) -> str:
    """Django's ``conditional_escape`` (the same output) without its lazy-text wrapper, which cost
    more than the escaping itself at a thousand calls a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.filter
def phone(value: str) -> str:
    """+74951234567 → +7 495 123-45-67; other numbers are shown as stored."""
    value = value or ""
    if len(value) == 12 and value.startswith("+7") and value[1:].isdigit():
        d = value[2:]
        return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"
    return value


CENT = Decimal("0.01")


@register.filter
def money(amount, currency: str = "RUB") -> str:
    """1234.5 → «1 234,50 ₽» (or «1,234.50 ₽») in the current language's format, grouped, two decimals."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "₽" if currency in ("RUB", "", None) else currency
    return f"{number_format(value, 2, force_grouping=True)}\u00a0{sign}"

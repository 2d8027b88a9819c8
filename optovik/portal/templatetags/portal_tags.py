from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+74951234567 → +7 495 123-45-67; other numbers are shown as stored."""
    value = value or ""
    if len(value) == 12 and value.startswith("+7") and value[1:].isdigit():
        d = value[2:]
        return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"
    return value

"""Purchase approval inside the client company: which orders wait for the company admin."""

from ..models import ApprovalRule, Order


def approval_required(*, order: Order) -> bool:
    """True when an active rule of the order's company catches it: the order's total (incl. VAT)
    is above the rule's amount, or it was placed by one of the rule's purchasers."""
    rules = ApprovalRule.objects.filter(client_id=order.client_id, is_active=True).prefetch_related("purchasers")
    for rule in rules:
        if rule.amount_above is not None and order.total_gross > rule.amount_above:
            return True
        if order.placed_by_id and any(p.pk == order.placed_by_id for p in rule.purchasers.all()):
            return True
    return False

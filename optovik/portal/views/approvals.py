"""Purchase approval for the company admin: the rules, and the orders waiting for a decision."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from optovik.accounts.models import User
from optovik.customers.models import Membership, Role
from optovik.customers.permissions import Perm
from optovik.ordering.models import ApprovalRule, Order, OrderStatus

from ..access import portal_view
from ..forms import BootstrapFormMixin


class ApprovalRuleForm(BootstrapFormMixin, forms.Form):
    is_active = forms.BooleanField(label=gettext_lazy("Orders need approval by these rules"), required=False)
    amount_above = forms.DecimalField(
        label=gettext_lazy("Orders above this amount, incl. VAT"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Leave empty to approve orders by purchaser only."),
    )
    purchasers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Every order by these purchasers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(client=client, role=Role.PURCHASER, is_active=True)
        self.fields["purchasers"].queryset = User.objects.filter(pk__in=members.values("user_id")).order_by("email")
        self.fields["purchasers"].label_from_instance = lambda u: f"{u.get_full_name() or u.email} <{u.email}>"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_active") and cleaned.get("amount_above") is None and not cleaned.get("purchasers"):
            self.add_error("amount_above", _("Enter an amount or choose purchasers."))
        return cleaned


@portal_view(Perm.MANAGE_COMPANY)
def approval_rules(request):
    client = request.tenant.client
    rule = ApprovalRule.objects.filter(client=client).order_by("pk").first()
    initial = (
        {"is_active": rule.is_active, "amount_above": rule.amount_above, "purchasers": list(rule.purchasers.all())}
        if rule
        else {"is_active": True}
    )
    form = ApprovalRuleForm(request.POST or None, initial=initial, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if rule is None:
                rule = ApprovalRule(client=client)
            rule.is_active = data["is_active"]
            rule.amount_above = data["amount_above"]
            rule.save()
            rule.purchasers.set(data["purchasers"])
        messages.success(request, _("Approval rules saved."))
        return redirect("portal:approval_rules")
    return render(request, "portal/approvals/rules.html", {"form": form})


@portal_view(Perm.MANAGE_COMPANY)
def approvals_pending(request):
    orders = (
        Order.objects.filter(status=OrderStatus.AWAITING_APPROVAL, legal_entity_id__in=request.tenant.legal_entity_ids)
        .select_related("placed_by", "legal_entity")
        .order_by("placed_at", "pk")
    )
    return render(request, "portal/approvals/pending.html", {"orders": orders})

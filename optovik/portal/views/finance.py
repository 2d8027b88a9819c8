"""Settlements: the contract's balance, credit and overdue debt, its movements, and the
reconciliation act a customer requests at any time."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.documents.render import act_xlsx, render_act_pdf
from optovik.finance.acts import act_build
from optovik.finance.models import Shipment
from optovik.finance.selectors import contract_balance, contract_ledger

from ..access import portal_view
from ..forms import BootstrapFormMixin

MOVEMENTS_SHOWN = 30
SHIPMENTS_SHOWN = 10
ALL_CONTRACTS = "all"


class ActRequestForm(BootstrapFormMixin, forms.Form):
    contract = forms.ChoiceField(label=_("Contract"))
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        choices = [(str(c.pk), _("Contract %(contract)s") % {"contract": c}) for c in tenant.contracts]
        if len(tenant.contracts) > 1:
            choices.append((ALL_CONTRACTS, _("All contracts of the legal entity")))
        self.fields["contract"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The period ends before it starts."))
        return data

    def act_scope(self) -> dict:
        value = self.cleaned_data["contract"]
        if value == ALL_CONTRACTS:
            return {"legal_entity": self.tenant.legal_entity}
        return {"contract": next(c for c in self.tenant.contracts if str(c.pk) == value)}


def _act_initial(tenant) -> dict:
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    first = (
        contract_ledger(contract=tenant.contract).values_list("date", flat=True).first() if tenant.contract else None
    )
    if first and first > start:
        start = first
    return {"contract": str(tenant.contract.pk) if tenant.contract else "", "date_from": start, "date_to": today}


def _page(request, form, *, status=200):
    tenant = request.tenant
    contract = tenant.contract
    context = {"form": form, "contract": contract, "legal_entity": tenant.legal_entity}
    if contract is not None:
        context["balance"] = contract_balance(contract=contract)
        context["movements"] = list(contract_ledger(contract=contract).order_by("-date", "-pk")[:MOVEMENTS_SHOWN])
        context["shipments"] = list(
            Shipment.objects.filter(contract_id=contract.pk, status=Shipment.Status.POSTED)
            .select_related("order")
            .order_by("-date", "-pk")[:SHIPMENTS_SHOWN]
        )
        context["today"] = timezone.localdate()
    contracts = [c for le in tenant.legal_entities for c in tenant.entity_contracts[le.pk]]
    if len(contracts) > 1:
        names = {le.pk: le.short_name for le in tenant.legal_entities}
        context["contract_balances"] = [
            (c, names.get(c.legal_entity_id, ""), contract_balance(contract=c)) for c in contracts
        ]
    return render(request, "portal/finance/overview.html", context, status=status)


@portal_view(Perm.VIEW_FINANCE)
def finance(request):
    return _page(request, ActRequestForm(tenant=request.tenant, initial=_act_initial(request.tenant)))


def _act(request, fmt: str):
    tenant = request.tenant
    form = ActRequestForm(request.GET, tenant=tenant)
    if tenant.legal_entity is None or not form.is_valid():
        return _page(request, form, status=400)
    try:
        act = act_build(
            date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"], **form.act_scope()
        )
        content = render_act_pdf(act) if fmt == "pdf" else act_xlsx(act)
    except ApplicationError as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        return _page(request, form, status=400)
    name = f"act-{act.period_start:%Y%m%d}-{act.period_end:%Y%m%d}.{fmt}"
    content_type = (
        "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{name}"'
    return response


@portal_view(Perm.VIEW_FINANCE)
def act_pdf(request):
    return _act(request, "pdf")


@portal_view(Perm.VIEW_FINANCE)
def act_spreadsheet(request):
    return _act(request, "xlsx")

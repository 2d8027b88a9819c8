"""Demand plans: the customer's expected quantities per product for the coming months."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering.models import DemandPlan, DemandPlanLine, DemandPlanStatus
from optovik.ordering.services import demand as demand_services

from ..access import portal_view
from ..forms import BootstrapFormMixin
from .holds import OrderDeliveryForm, add_service_error
from .order_actions import order_url


class DemandLinesForm(BootstrapFormMixin, forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("Products and quantities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "font-monospace"}),
        help_text=gettext_lazy("One product per line: the article and the quantity, e.g. «B-100 250»."),
    )


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        raise Http404 from None


def _contract(request):
    tenant = request.tenant
    if tenant.contract is None or tenant.legal_entity is None:
        raise Http404
    return tenant.legal_entity, tenant.contract


@portal_view(Perm.PLACE_ORDERS)
def demand_list(request):
    tenant = request.tenant
    months = demand_services.months_ahead()
    plans = {}
    if tenant.contract is not None:
        plans = {
            p.month: p
            for p in DemandPlan.objects.filter(contract=tenant.contract, month__in=months).prefetch_related("lines")
        }
    rows = [{"month": m, "key": f"{m:%Y-%m}", "plan": plans.get(m)} for m in months]
    return render(request, "portal/demand/list.html", {"rows": rows, "contract": tenant.contract})


@portal_view(Perm.PLACE_ORDERS)
def demand_edit(request):
    legal_entity, contract = _contract(request)
    month = _month(request.GET.get("month"))
    if month not in demand_services.months_ahead():
        raise Http404
    plan = DemandPlan.objects.filter(contract=contract, month=month).first()
    lines = list(DemandPlanLine.objects.filter(plan=plan).select_related("product")) if plan else []
    editable = plan is None or plan.status in (DemandPlanStatus.DRAFT, DemandPlanStatus.SUBMITTED)
    initial = "\n".join(f"{line.product.article} {line.quantity.normalize():f}" for line in lines)
    form = DemandLinesForm(request.POST or None, initial={"lines": initial})
    if request.method == "POST" and editable and form.is_valid():
        try:
            parsed = demand_services.demand_lines_parse(text=form.cleaned_data["lines"], contract=contract)
            demand_services.demand_plan_save(
                legal_entity=legal_entity,
                contract=contract,
                month=month,
                lines=parsed,
                user=request.user,
                submit="submit" in request.POST,
            )
        except ApplicationError as e:
            add_service_error(form, e)
        else:
            messages.success(
                request,
                _("The plan is sent to your manager.") if "submit" in request.POST else _("The plan is saved."),
            )
            return redirect("portal:demand")
    return render(
        request,
        "portal/demand/edit.html",
        {
            "form": form,
            "plan": plan,
            "lines": lines,
            "editable": editable,
            "month_label": date_format(month, "F Y"),
        },
    )


@portal_view(Perm.PLACE_ORDERS)
def demand_order(request, pk: int):
    plan = get_object_or_404(DemandPlan.objects.filter(legal_entity_id__in=request.tenant.legal_entity_ids), pk=pk)
    if plan.status != DemandPlanStatus.CONFIRMED:
        messages.error(request, _("Only a confirmed plan can be ordered."))
        return redirect("portal:demand")
    form = OrderDeliveryForm(request.POST or None, legal_entity=plan.legal_entity)
    if request.method == "POST" and form.is_valid():
        try:
            order = demand_services.demand_plan_order(plan=plan, user=request.user, **form.order_kwargs())
        except ApplicationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("Order %(number)s is placed.") % {"number": order.number})
            return redirect(order_url(order))
    lines = [
        {"product": line.product, "quantity": line.confirmed_quantity}
        for line in plan.lines.select_related("product")
        if line.confirmed_quantity
    ]
    title = _("Order the plan for %(month)s") % {"month": date_format(plan.month, "F Y")}
    return render(request, "portal/holds/convert.html", {"form": form, "title": title, "lines": lines})

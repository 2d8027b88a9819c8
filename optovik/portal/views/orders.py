"""Order history, the order page, repeat and export."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering import selectors
from optovik.ordering.models import OrderStatus
from optovik.ordering.services import cart as cart_services
from optovik.ordering.services.orders_export import order_export_xlsx, orders_export_xlsx
from optovik.ordering.services.quantities import quantity_text

from ..access import portal_view
from ..forms import BootstrapFormMixin

PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 10000


class OrderFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    legal_entity = forms.TypedChoiceField(label=gettext_lazy("Legal entity"), required=False, coerce=int)
    number = forms.CharField(label=gettext_lazy("Number"), required=False, max_length=32)
    article = forms.CharField(label=gettext_lazy("Article inside"), required=False, max_length=64)

    def __init__(self, *args, legal_entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *list(OrderStatus.choices)]
        self.fields["legal_entity"].choices = [("", _("Any"))] + [(le.pk, le.short_name) for le in legal_entities]
        self.fields["legal_entity"].empty_value = None

    def filters(self) -> selectors.OrderFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.OrderFilters(
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            legal_entity_id=data.get("legal_entity"),
            number=data.get("number") or "",
            article=data.get("article") or "",
            q=data.get("q") or "",
        )


def _orders(request):
    tenant = request.tenant
    form = OrderFilterForm(request.GET or None, legal_entities=tenant.legal_entities)
    qs = selectors.order_list(
        client=tenant.client, legal_entity_ids=[le.pk for le in tenant.legal_entities], filters=form.filters()
    )
    return form, qs


def _order(request, number: str):
    tenant = request.tenant
    order = selectors.order_get(
        client=tenant.client, legal_entity_ids=[le.pk for le in tenant.legal_entities], number=number
    )
    if order is None:
        raise Http404
    return order


@portal_view(Perm.VIEW_ORDERS)
def order_list(request):
    form, qs = _orders(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/orders/list.html", {"form": form, "page": page, "query": query.urlencode()})


@portal_view(Perm.VIEW_ORDERS)
def order_list_export(request):
    _form, qs = _orders(request)
    content = orders_export_xlsx(orders=qs[:EXPORT_LIMIT])
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="orders-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


@portal_view(Perm.VIEW_ORDERS)
def order_detail(request, number: str):
    order = _order(request, number)
    return render(
        request,
        "portal/orders/detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "events": list(order.events.all()),
            "can_repeat": request.tenant.can(Perm.PLACE_ORDERS) and request.tenant.contract is not None,
        },
    )


@portal_view(Perm.VIEW_ORDERS)
def order_export(request, number: str):
    order = _order(request, number)
    response = HttpResponse(order_export_xlsx(order=order), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="order-{order.number}.xlsx"'
    return response


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def order_repeat(request, number: str):
    """Adds what can be ordered now of the order's lines to the current cart and says what could not."""
    order = _order(request, number)
    try:
        cart = cart_services.cart_get_or_create(user=request.user, contract=request.tenant.contract)
        report = cart_services.cart_add_available(
            cart=cart, lines=[(line.product_id, line.quantity) for line in order.lines.all()]
        )
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("portal:order_detail", number=order.number)
    report_messages(request, report)
    return redirect("portal:cart")


def report_messages(request, report) -> None:
    """The outcome of adding a repeated order or a list to the cart, as messages."""
    if report.added or report.reduced:
        count = len(report.added) + len(report.reduced)
        messages.success(
            request,
            ngettext("%(count)s line added to the cart.", "%(count)s lines added to the cart.", count)
            % {"count": count},
        )
    for article, wanted, added in report.reduced:
        messages.warning(
            request,
            _("%(article)s: only %(added)s of %(wanted)s are available; %(added)s added.")
            % {"article": article, "added": quantity_text(added), "wanted": quantity_text(wanted)},
        )
    if report.skipped:
        messages.warning(
            request,
            _("Not added: %(lines)s.") % {"lines": "; ".join(f"{article} — {why}" for article, why in report.skipped)},
        )
    if not (report.added or report.reduced or report.skipped):
        messages.info(request, _("Nothing to add."))

"""The documents archive and every document download: invoices, UPDs, uploaded files and serial
numbers. Each looks the object up within the legal entities the user acts for; anything else —
another company's, a guessed or tampered id — is not found."""

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.finance.archive import DocumentFilters, document_for_download, document_list
from optovik.finance.invoicing import invoice_issue
from optovik.finance.models import Document, DocumentKind, Shipment
from optovik.finance.rendering import invoice_pdf, upd_pdf
from optovik.finance.shipments import serial_rows, serials_csv, serials_xlsx
from optovik.ordering.models import Order

from ..access import portal_view
from ..forms import BootstrapFormMixin

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    legal_entity = forms.TypedChoiceField(label=_("Legal entity"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, legal_entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All types")), *DocumentKind.choices]
        self.fields["legal_entity"].choices = [("", _("All legal entities"))] + [
            (le.pk, le.short_name) for le in legal_entities
        ]
        if len(legal_entities) < 2:
            del self.fields["legal_entity"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The period ends before it starts."))
        return data

    def filters(self) -> DocumentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DocumentFilters(
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
            legal_entity_id=data.get("legal_entity"),
        )


@portal_view(Perm.VIEW_DOCUMENTS)
def document_archive(request):
    legal_entities = request.tenant.legal_entities
    form = DocumentFilterForm(request.GET or None, legal_entities=legal_entities)
    documents = document_list(
        legal_entities=legal_entities, filters=form.filters() if form.is_bound else DocumentFilters()
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = {le.pk: le.short_name for le in legal_entities}
    kinds, sources = dict(DocumentKind.choices), dict(Document.Source.choices)
    download = reverse("portal:document_download", kwargs={"pk": 0}).replace("/0/", "/{}/")
    serials = reverse("portal:shipment_serials_xlsx", kwargs={"pk": 0}).replace("/0/", "/{}/")
    rows = [
        {
            "document": d,
            "kind": kinds.get(d.kind, d.kind),
            "source": sources.get(d.source, d.source) if d.source != Document.Source.ISSUED else "",
            "legal_entity": names.get(d.legal_entity_id, ""),
            "download_url": download.format(d.pk),
            "serials_url": serials.format(d.shipment_id) if d.shipment_id else "",
            "cancelled": bool(d.invoice_id) and d.invoice.status == "cancelled",
        }
        for d in page.object_list
    ]
    return render(
        request,
        "portal/documents/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "several_legal_entities": len(legal_entities) > 1,
        },
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@portal_view(Perm.VIEW_DOCUMENTS)
def document_download(request, pk: int):
    document = document_for_download(legal_entities=request.tenant.legal_entities, pk=pk)
    if document is None:
        raise Http404
    if document.invoice_id:
        return _pdf(invoice_pdf(document.invoice), f"invoice-{document.number}.pdf")
    if document.shipment_id:
        return _pdf(upd_pdf(document.shipment), f"upd-{document.number}.pdf")
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not document.content_type.startswith(("application/pdf", "image/")),
        filename=document.file_name or f"document-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _order(request, number: str) -> Order:
    return get_object_or_404(
        Order.objects.select_related("contract"),
        number=number,
        legal_entity_id__in=request.tenant.legal_entity_ids,
    )


@portal_view(Perm.VIEW_DOCUMENTS)
def order_invoice(request, number: str):
    """The order's invoice, issued now if it has none yet."""
    order = _order(request, number)
    try:
        invoice = invoice_issue(order=order, actor=request.user)
    except ApplicationError as e:
        return render(request, "portal/documents/unavailable.html", {"message": e.message, "order": order}, status=409)
    return _pdf(invoice_pdf(invoice), f"invoice-{invoice.number}.pdf")


def _shipment(request, pk: int) -> Shipment:
    return get_object_or_404(
        Shipment.objects.select_related("contract", "order"),
        pk=pk,
        status=Shipment.Status.POSTED,
        legal_entity_id__in=request.tenant.legal_entity_ids,
    )


@portal_view(Perm.VIEW_DOCUMENTS)
def shipment_upd(request, pk: int):
    shipment = _shipment(request, pk)
    return _pdf(upd_pdf(shipment), f"upd-{shipment.number}.pdf")


def _serials_response(rows, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(serials_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(serials_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@portal_view(Perm.VIEW_DOCUMENTS)
def shipment_serials(request, pk: int, fmt: str):
    shipment = _shipment(request, pk)
    return _serials_response(serial_rows(shipments=[shipment.pk]), fmt, f"serials-upd-{shipment.number}")


@portal_view(Perm.VIEW_DOCUMENTS)
def order_serials(request, number: str, fmt: str):
    order = _order(request, number)
    shipments = Shipment.objects.filter(order_id=order.pk).values("pk")
    return _serials_response(serial_rows(shipments=shipments), fmt, f"serials-order-{order.number}")

"""Back-office pages of the documents: invoices, shipments with lines and serial numbers,
payments and the documents archive. Managers see only their clients (``StaffScopedAdmin``).

Writes go through the finance services: posting a shipment or a payment moves the ledger, and an
upload is checked before anything is stored."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled
from unfold.admin import ModelAdmin, TabularInline

from optovik.backoffice.admin_base import StaffScopedAdmin
from optovik.core.errors import ApplicationError

from .archive import document_upload, upload_check
from .invoicing import invoice_cancel
from .models import Document, Invoice, InvoiceLine, Payment, SerialNumber, Shipment, ShipmentLine
from .payments import payment_post
from .shipments import shipment_post

MAINTAIN = frozenset({"view", "add", "change"})


class InvoiceLineInline(StaffScopedAdmin, TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("position", "code", "name", "unit", "quantity", "price", "vat_rate", "amount")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = frozenset({"view", "change"})
    list_display = ("number", "date", "legal_entity", "order", "total_gross", "status")
    list_filter = ("status", "seller")
    search_fields = ("number", "order__number", "legal_entity__short_name", "legal_entity__inn")
    date_hierarchy = "date"
    list_select_related = ("legal_entity", "order")
    readonly_fields = (
        "number",
        "date",
        "due_date",
        "status",
        "legal_entity",
        "contract",
        "seller",
        "order",
        "total_net",
        "total_vat",
        "total_gross",
        "payment_terms",
        "basis",
        "seller_data",
        "buyer_data",
        "version",
    )
    fields = readonly_fields
    inlines = [InvoiceLineInline]
    actions = ["cancel_invoices"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected invoices"))
    def cancel_invoices(self, request, queryset):
        for invoice in queryset:
            invoice_cancel(invoice=invoice, actor=request.user)
        self.message_user(request, _("Invoices cancelled."), messages.SUCCESS)


class ShipmentLineInline(StaffScopedAdmin, TabularInline):
    model = ShipmentLine
    extra = 1
    show_change_link = True
    manager_permissions = MAINTAIN | {"delete"}
    fields = (
        "code",
        "name",
        "unit",
        "unit_code",
        "quantity",
        "price",
        "vat_rate",
        "country_code",
        "declaration_number",
    )

    def _draft(self, obj):
        return obj is None or obj.status == Shipment.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


with scopes_disabled():  # the form's querysets are built at import, outside any scope

    class ShipmentForm(forms.ModelForm):
        class Meta:
            model = Shipment
            fields = ("contract", "order", "date", "upd_status")

        def clean(self):
            data = super().clean()
            contract, order = data.get("contract"), data.get("order")
            if contract and order and order.contract_id != contract.pk:
                self.add_error("order", _("The order belongs to another contract."))
            return data


@admin.register(Shipment)
class ShipmentAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    form = ShipmentForm
    list_display = ("__str__", "date", "legal_entity", "order", "total_gross", "status")
    list_filter = ("status", "upd_status")
    search_fields = ("number", "order__number", "legal_entity__short_name", "lines__serials__serial")
    date_hierarchy = "date"
    list_select_related = ("legal_entity", "order")
    raw_id_fields = ("order",)
    inlines = [ShipmentLineInline]
    actions = ["post_shipments"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Shipment.Status.POSTED:
            return ("contract", "order", "date", "upd_status", "number", "status", "total_gross")
        return ("number", "status")

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == Shipment.Status.DRAFT) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Post the selected shipments (UPD and ledger)"))
    def post_shipments(self, request, queryset):
        posted = 0
        for shipment in queryset.filter(status=Shipment.Status.DRAFT):
            try:
                shipment_post(shipment=shipment, actor=request.user)
            except ApplicationError as e:
                self.message_user(request, f"{shipment}: {e.message}", messages.ERROR)
            else:
                posted += 1
        self.message_user(request, _("Shipments posted: %(n)s.") % {"n": posted}, messages.SUCCESS)


class SerialNumberInline(StaffScopedAdmin, TabularInline):
    model = SerialNumber
    extra = 3
    fields = ("serial",)
    manager_permissions = MAINTAIN | {"delete"}


@admin.register(ShipmentLine)
class ShipmentLineAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    list_display = ("name", "shipment", "quantity")
    search_fields = ("name", "code", "serials__serial")
    readonly_fields = ("shipment", "code", "name", "quantity")
    fields = readonly_fields
    inlines = [SerialNumberInline]

    def has_add_permission(self, request):
        return False


with scopes_disabled():  # the form's querysets are built at import, outside any scope

    class PaymentForm(forms.ModelForm):
        class Meta:
            model = Payment
            fields = ("contract", "date", "number", "amount", "purpose")

        def clean_amount(self):
            amount = self.cleaned_data["amount"]
            if amount is not None and amount <= 0:
                raise forms.ValidationError(_("The payment amount must be positive."))
            return amount

        def clean_date(self):
            date = self.cleaned_data["date"]
            if date and date > timezone.localdate():
                raise forms.ValidationError(_("A payment cannot be dated in the future."))
            return date


@admin.register(Payment)
class PaymentAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    form = PaymentForm
    list_display = ("__str__", "date", "contract", "amount")
    search_fields = ("number", "contract__number", "contract__legal_entity__short_name")
    date_hierarchy = "date"
    list_select_related = ("contract",)

    def get_readonly_fields(self, request, obj=None):
        return ("contract", "date", "number", "amount", "purpose") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created = payment_post(actor=request.user, **{k: data[k] for k in PaymentForm.Meta.fields})
        obj.pk, obj.client_id, obj.ledger_entry_id = created.pk, created.client_id, created.ledger_entry_id


with scopes_disabled():  # the form's querysets are built at import, outside any scope

    class DocumentUploadForm(forms.ModelForm):
        upload = forms.FileField(label=_("File"))

        class Meta:
            model = Document
            fields = ("legal_entity", "contract", "kind", "number", "date", "amount", "title")

        def clean_upload(self):
            upload = self.cleaned_data["upload"]
            try:
                upload_check(upload)
            except ApplicationError as e:
                raise forms.ValidationError(e.message) from None
            return upload


@admin.register(Document)
class DocumentAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    list_display = ("kind", "number", "date", "legal_entity", "amount", "source")
    list_filter = ("kind", "source")
    search_fields = ("number", "title", "legal_entity__short_name", "legal_entity__inn")
    date_hierarchy = "date"
    list_select_related = ("legal_entity",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = DocumentUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return (*DocumentUploadForm.Meta.fields, "upload")
        return ("kind", "number", "date", "amount", "legal_entity", "contract", "title", "source", "file_name", "size")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("kind", "number", "date", "amount", "legal_entity", "contract", "source", "file_name", "size")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["title", "updated_at"])
            return
        data = form.cleaned_data
        created = document_upload(
            legal_entity=data["legal_entity"],
            contract=data.get("contract"),
            kind=data["kind"],
            number=data["number"],
            date=data["date"],
            amount=data.get("amount"),
            title=data.get("title") or "",
            file=data["upload"],
            actor=request.user,
        )
        obj.pk, obj.client_id = created.pk, created.client_id

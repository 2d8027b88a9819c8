"""Back-office pages of the customer side. Managers see only their clients (``StaffScopedAdmin``)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from optovik.backoffice.admin_base import StaffScopedAdmin, is_admin

from .models import (
    BankAccount,
    Client,
    Contract,
    DeliveryAddress,
    Invitation,
    LegalEntity,
    Membership,
    SellerOrganization,
)

EDIT = frozenset({"view", "change"})
MAINTAIN = frozenset({"view", "add", "change"})
MAINTAIN_AND_DELETE = frozenset({"view", "add", "change", "delete"})

REQUISITES_FIELDSETS = (
    (None, {"fields": ("legal_form", "short_name", "full_name")}),
    (_("Requisites"), {"fields": (("inn", "kpp"), "ogrn", "legal_address", "postal_address", ("phone", "email"))}),
)
BANK_FIELDSET = (_("Bank details"), {"fields": ("bank_name", "bik", "correspondent_account", "settlement_account")})


class MembershipForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].label = _("user")

    def clean(self):
        cleaned = super().clean()
        client = cleaned.get("client") or (self.instance.client if self.instance.client_id else None)
        if client is None:
            return cleaned
        foreign = [le for le in cleaned.get("legal_entities") or () if le.client_id != client.pk]
        if foreign:
            self.add_error(
                "legal_entities",
                _("%(names)s belong to another client.") % {"names": ", ".join(str(le) for le in foreign)},
            )
        return cleaned


# Inlines -------------------------------------------------------------------------------------


class LegalEntityInline(StaffScopedAdmin, TabularInline):
    model = LegalEntity
    manager_permissions = MAINTAIN
    fields = ("short_name", "legal_form", "inn", "kpp", "is_active")
    readonly_fields = ("short_name", "legal_form", "inn", "kpp")
    show_change_link = True
    extra = 0
    max_num = 0  # legal entities are added on their own page, which has room for all requisites


class MembershipInline(StaffScopedAdmin, TabularInline):
    model = Membership
    manager_permissions = MAINTAIN
    fields = ("user", "role", "can_place_orders", "legal_entities", "is_active")
    autocomplete_fields = ("user",)
    extra = 0

    form = MembershipForm
    parent_client = None

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_client = obj  # inline instances are created per request
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "legal_entities" and self.parent_client is not None:
            formfield.queryset = formfield.queryset.filter(client=self.parent_client)
        return formfield


class BankAccountInline(StaffScopedAdmin, StackedInline):
    model = BankAccount
    manager_permissions = MAINTAIN_AND_DELETE
    fields = ("bank_name", "bik", "correspondent_account", "settlement_account", "is_primary")
    extra = 0


class DeliveryAddressInline(StaffScopedAdmin, TabularInline):
    model = DeliveryAddress
    manager_permissions = MAINTAIN_AND_DELETE
    fields = ("title", "address", "contact_name", "contact_phone", "is_default")
    extra = 0


class ContractInline(StaffScopedAdmin, TabularInline):
    """A summary: a contract has too many terms for a table row, so it is edited on its own page."""

    model = Contract
    manager_permissions = EDIT
    fields = ("number", "date", "seller_name", "payment_terms", "deferral_days", "credit_limit", "status")
    readonly_fields = fields
    show_change_link = True
    extra = 0

    @admin.display(description=_("seller organization"))
    def seller_name(self, obj):
        return obj.seller.short_name  # text, not a link: managers have no seller pages

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Models --------------------------------------------------------------------------------------


@admin.register(SellerOrganization)
class SellerOrganizationAdmin(StaffScopedAdmin, ModelAdmin):
    """The supplier's own organizations: only administrators see and edit them."""

    client_lookup = None
    admin_only = True
    list_display = ("short_name", "inn", "kpp", "bank_name", "director_name", "vat_payer", "is_active")
    list_filter = ("is_active", "vat_payer")
    search_fields = ("short_name", "full_name", "inn", "ogrn")
    fieldsets = (
        *REQUISITES_FIELDSETS,
        BANK_FIELDSET,
        (
            _("Signatories"),
            {"fields": ("director_name", "director_position", "chief_accountant_name", "vat_payer", "is_active")},
        ),
        (_("Integration"), {"fields": ("external_id",), "classes": ("collapse",)}),
    )


@admin.register(Client)
class ClientAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = "pk"
    manager_permissions = MAINTAIN
    list_display = ("name", "manager", "legal_entity_count", "is_active", "created_at")
    ordering = ("name", "pk")
    list_filter = ("is_active", ("manager", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "legal_entities__short_name", "legal_entities__inn", "memberships__user__email")
    fields = ("name", "manager", "is_active", "comment", "external_id")
    inlines = (LegalEntityInline, MembershipInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("manager").annotate(_le_count=Count("legal_entities"))

    @admin.display(description=_("legal entities"), ordering="_le_count")
    def legal_entity_count(self, obj):
        return obj._le_count

    @admin.display(description=_("personal manager"))
    def manager_name(self, obj):
        return str(obj.manager) if obj and obj.manager else "—"

    def get_fields(self, request, obj=None):
        if is_admin(request.user):
            return self.fields
        return tuple("manager_name" if f == "manager" else f for f in self.fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_admin(request.user):
            readonly.append("manager_name")  # only administrators assign managers
        return readonly

    def save_model(self, request, obj, form, change):
        if not change and not is_admin(request.user):
            obj.manager = request.user  # a manager's new client is theirs, so they keep seeing it
        super().save_model(request, obj, form, change)


@admin.register(LegalEntity)
class LegalEntityAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    list_display = ("short_name", "client", "inn", "kpp", "ogrn", "is_active")
    list_filter = ("is_active", "legal_form", ("client__manager", admin.RelatedOnlyFieldListFilter))
    search_fields = ("short_name", "full_name", "inn", "ogrn", "client__name")
    list_select_related = ("client",)
    autocomplete_fields = ("client",)
    fieldsets = (
        (None, {"fields": ("client", "is_active")}),
        *REQUISITES_FIELDSETS,
        (_("Integration"), {"fields": ("external_id",), "classes": ("collapse",)}),
    )
    inlines = (BankAccountInline, DeliveryAddressInline, ContractInline)


@admin.register(BankAccount)
class BankAccountAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN_AND_DELETE
    list_display = ("settlement_account", "bank_name", "bik", "legal_entity", "is_primary")
    list_filter = ("is_primary",)
    search_fields = ("settlement_account", "bik", "bank_name", "legal_entity__short_name", "legal_entity__inn")
    list_select_related = ("legal_entity",)
    autocomplete_fields = ("legal_entity",)
    fields = ("legal_entity", "bank_name", "bik", "correspondent_account", "settlement_account", "is_primary")


@admin.register(Contract)
class ContractAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    list_display = (
        "number",
        "date",
        "legal_entity",
        "seller",
        "payment_terms",
        "deferral_days",
        "credit_limit",
        "status",
    )
    list_filter = (
        "status",
        "payment_terms",
        "specification_only",
        ("seller", admin.RelatedOnlyFieldListFilter),
        ("client__manager", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("number", "legal_entity__short_name", "legal_entity__inn", "client__name")
    list_select_related = ("legal_entity", "seller")
    autocomplete_fields = ("legal_entity",)
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("legal_entity", "seller", ("number", "date"), "status")}),
        (
            _("Terms"),
            {
                "fields": (
                    "price_type",
                    "payment_terms",
                    "deferral_days",
                    "credit_limit",
                    "overdue_blocks_orders",
                    "currency",
                    "specification_only",
                )
            },
        ),
        (_("Validity"), {"fields": (("valid_from", "valid_until"),)}),
        (_("Integration"), {"fields": ("external_id",), "classes": ("collapse",)}),
    )


@admin.register(Membership)
class MembershipAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN
    list_display = ("user", "client", "role", "is_active")
    list_filter = ("role", "is_active", ("client", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__last_name", "client__name")
    list_select_related = ("user", "client")
    autocomplete_fields = ("user", "client")
    filter_horizontal = ("legal_entities",)
    form = MembershipForm
    fields = ("user", "client", "role", "can_place_orders", "legal_entities", "is_active")


@admin.register(DeliveryAddress)
class DeliveryAddressAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = MAINTAIN_AND_DELETE
    list_display = ("__str__", "legal_entity", "contact_name", "contact_phone", "is_default")
    list_filter = ("is_default",)
    search_fields = ("title", "address", "legal_entity__short_name", "legal_entity__inn")
    list_select_related = ("legal_entity",)
    autocomplete_fields = ("legal_entity",)
    fields = ("legal_entity", "title", "address", "contact_name", "contact_phone", "comment", "is_default")


@admin.register(Invitation)
class InvitationAdmin(StaffScopedAdmin, ModelAdmin):
    """Invitations are sent from the portal; here staff look them up and may revoke one."""

    manager_permissions = EDIT
    list_display = ("email", "client", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked")
    list_filter = ("role", "revoked", ("client", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email", "client__name")
    list_select_related = ("client", "invited_by")
    fields = ("email", "client", "role", "legal_entities", "invited_by", "expires_at", "accepted_at", "revoked")
    readonly_fields = ("email", "client", "role", "legal_entities", "invited_by", "expires_at", "accepted_at")

    def has_add_permission(self, request, *args):
        return False

"""Back office for orders, reservations and demand plans. Managers see only their clients
(``StaffScopedAdmin``); every status change goes through ``order_status_change`` with a comment."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline

from optovik.backoffice.admin_base import StaffScopedAdmin
from optovik.core.errors import ApplicationError

from .models import DemandPlan, DemandPlanLine, DemandPlanStatus, Hold, HoldLine, Order, OrderEvent, OrderLine
from .services.demand import demand_plan_confirm
from .services.status import TRANSITIONS, order_status_change, order_transitions_allowed

EDIT = frozenset({"view", "change"})


class ReadOnlyInline(StaffScopedAdmin, TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("article", "name", "quantity", "unit", "price_gross", "discount_percent", "amount_gross")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name = _("status change")
    verbose_name_plural = _("timeline")
    fields = ("created_at", "status_from", "status_to", "actor", "comment")
    readonly_fields = fields


class OrderStatusForm(forms.ModelForm):
    new_status = forms.ChoiceField(label=_("Change the status to"), required=False)
    status_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The customer sees it in the order's timeline and in the e-mail."),
    )

    class Meta:
        model = Order
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = order_transitions_allowed(order=self.instance) if self.instance.pk else []
        labels = dict(Order._meta.get_field("status").choices)
        self.fields["new_status"].choices = [("", "—")] + [(value, labels[value]) for value in allowed]

    def clean_new_status(self):
        value = self.cleaned_data["new_status"]
        if value and value not in TRANSITIONS.get(self.instance.status, ()):
            raise forms.ValidationError(_("The order cannot move to this status now."))
        return value


@admin.register(Order)
class OrderAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = EDIT
    form = OrderStatusForm
    list_display = ("number", "client", "legal_entity", "status", "channel", "placed_at", "total_gross", "placed_by")
    list_filter = (
        "status",
        "channel",
        ("client", admin.RelatedOnlyFieldListFilter),
        ("placed_at", admin.DateFieldListFilter),
    )
    search_fields = ("number", "po_number", "client__name", "legal_entity__short_name", "lines__article")
    date_hierarchy = "placed_at"
    list_select_related = ("client", "legal_entity", "placed_by")
    inlines = (OrderLineInline, OrderEventInline)
    readonly_fields = (
        "number",
        "status",
        "channel",
        "placed_at",
        "client",
        "legal_entity",
        "contract",
        "placed_by",
        "delivery_method",
        "warehouse",
        "delivery_address_text",
        "desired_date",
        "contact_name",
        "contact_phone",
        "comment",
        "po_number",
        "total_net",
        "total_vat",
        "total_gross",
        "total_weight_kg",
        "total_volume_m3",
        "source_order",
        "external_id",
    )
    fieldsets = (
        (None, {"fields": (("number", "status"), ("channel", "placed_at"), "source_order")}),
        (_("Change the status"), {"fields": ("new_status", "status_comment")}),
        (_("Customer"), {"fields": ("client", "legal_entity", "contract", "placed_by", "po_number")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "delivery_method",
                    "warehouse",
                    "delivery_address_text",
                    "desired_date",
                    ("contact_name", "contact_phone"),
                    "comment",
                )
            },
        ),
        (
            _("Totals"),
            {"fields": (("total_net", "total_vat", "total_gross"), ("total_weight_kg", "total_volume_m3"))},
        ),
        (_("Exchange"), {"fields": ("external_id",), "classes": ("collapse",)}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        to = form.cleaned_data.get("new_status")
        if not to:
            return
        try:
            order_status_change(
                order=obj, to=to, actor=request.user, comment=form.cleaned_data.get("status_comment", "")
            )
        except ApplicationError as e:
            self.message_user(request, e.message, level=messages.ERROR)


class HoldLineInline(ReadOnlyInline):
    model = HoldLine
    fields = ("product", "quantity")
    readonly_fields = fields


@admin.register(Hold)
class HoldAdmin(StaffScopedAdmin, ModelAdmin):
    list_display = ("pk", "client", "legal_entity", "user", "status", "expires_at", "order")
    list_filter = ("status", ("client", admin.RelatedOnlyFieldListFilter))
    search_fields = ("client__name", "legal_entity__short_name", "user__email")
    readonly_fields = ("client", "legal_entity", "contract", "user", "status", "expires_at", "order")
    fields = readonly_fields
    inlines = (HoldLineInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DemandPlanLineInline(StaffScopedAdmin, TabularInline):
    model = DemandPlanLine
    manager_permissions = EDIT
    fields = ("product", "quantity", "confirmed_quantity")
    readonly_fields = ("product", "quantity")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DemandPlanForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("Confirm the plan"),
        required=False,
        help_text=_("Empty confirmed quantities are confirmed as planned."),
    )

    class Meta:
        model = DemandPlan
        fields = ("manager_comment",)


@admin.register(DemandPlan)
class DemandPlanAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = EDIT
    form = DemandPlanForm
    list_display = ("month", "client", "legal_entity", "contract", "status", "confirmed_by", "order")
    list_filter = ("status", ("client", admin.RelatedOnlyFieldListFilter), "month")
    search_fields = ("client__name", "legal_entity__short_name", "contract__number")
    readonly_fields = ("month", "client", "legal_entity", "contract", "status", "created_by", "confirmed_by", "order")
    fields = (*readonly_fields, "manager_comment", "confirm")
    inlines = (DemandPlanLineInline,)
    actions = ("confirm_as_planned",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("confirm"):
            self._confirm(request, form.instance, comment=form.cleaned_data.get("manager_comment", ""))

    def _confirm(self, request, plan, comment="") -> bool:
        try:
            demand_plan_confirm(plan=plan, manager=request.user, comment=comment)
        except ApplicationError as e:
            self.message_user(request, f"{plan}: {e.message}", level=messages.ERROR)
            return False
        return True

    @admin.action(description=_("Confirm as planned"))
    def confirm_as_planned(self, request, queryset):
        done = sum(self._confirm(request, plan) for plan in queryset.filter(status=DemandPlanStatus.SUBMITTED))
        self.message_user(request, ngettext("%d plan confirmed.", "%d plans confirmed.", done) % done)

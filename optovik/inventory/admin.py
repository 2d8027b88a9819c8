"""Back-office pages of warehouses, stock and the stock display settings."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from optovik.backoffice.admin_base import StaffScopedAdmin

from .models import ExpectedArrival, InventorySettings, Stock, Warehouse
from .services import stock_write


class InventoryAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None


class StockWritingAdmin(InventoryAdmin):
    """Saves and deletions that change products' available totals run inside ``stock_write``. Each
    admin below names those products: ``stock_products(objs, form=None)``, for saving ``objs``
    with ``form`` or deleting them."""

    def save_model(self, request, obj, form, change):
        with stock_write(product_ids=self.stock_products([obj], form)):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with stock_write(product_ids=self.stock_products([obj])):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with stock_write(product_ids=self.stock_products(queryset)):
            super().delete_queryset(request, queryset)


@admin.register(Warehouse)
class WarehouseAdmin(StockWritingAdmin):
    list_display = ("name", "code", "address", "is_pickup_point", "working_hours", "is_active")
    list_filter = ("is_pickup_point", "is_active")
    search_fields = ("name", "code", "address")

    def stock_products(self, objs, form=None):
        # The products stocked here, when the warehouse opens, closes or goes with its stock.
        if form is not None and "is_active" not in form.changed_data:
            return set()
        stocked = Stock.objects.filter(warehouse_id__in=[w.pk for w in objs if w.pk is not None])
        return set(stocked.values_list("product_id", flat=True))


@admin.register(Stock)
class StockAdmin(StockWritingAdmin):
    list_display = ("product", "warehouse", "on_hand", "reserved")
    list_filter = ("warehouse",)
    search_fields = ("product__article", "product__name")
    autocomplete_fields = ("product",)
    list_select_related = ("product", "warehouse")
    show_full_result_count = False

    def stock_products(self, objs, form=None):
        # A row moved to another product changes the totals of both.
        ids = {s.product_id for s in objs}
        before = Stock.objects.filter(pk__in=[s.pk for s in objs if s.pk is not None])
        return ids | set(before.values_list("product_id", flat=True))


@admin.register(ExpectedArrival)
class ExpectedArrivalAdmin(InventoryAdmin):
    list_display = ("product", "warehouse", "date", "quantity")
    list_filter = ("warehouse",)
    search_fields = ("product__article", "product__name")
    autocomplete_fields = ("product",)


@admin.register(InventorySettings)
class InventorySettingsAdmin(InventoryAdmin):
    list_display = ("__str__", "mode", "few_threshold", "show_warehouses")

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and not InventorySettings.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)

"""Back-office pages of warehouses, stock and the stock display settings."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from optovik.backoffice.admin_base import StaffScopedAdmin

from .models import ExpectedArrival, InventorySettings, Stock, Warehouse


class InventoryAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None


@admin.register(Warehouse)
class WarehouseAdmin(InventoryAdmin):
    list_display = ("name", "code", "address", "is_pickup_point", "working_hours", "is_active")
    list_filter = ("is_pickup_point", "is_active")
    search_fields = ("name", "code", "address")


@admin.register(Stock)
class StockAdmin(InventoryAdmin):
    list_display = ("product", "warehouse", "on_hand", "reserved")
    list_filter = ("warehouse",)
    search_fields = ("product__article", "product__name")
    autocomplete_fields = ("product",)
    list_select_related = ("product", "warehouse")
    show_full_result_count = False


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

"""Back-office pages of prices and discounts. Contract-bound rows follow the manager's clients."""

from django.contrib import admin
from django.db.models import Q
from unfold.admin import ModelAdmin

from optovik.backoffice.admin_base import StaffScopedAdmin

from .models import AmountDiscount, ContractPrice, Price, PriceType, QuantityDiscount, SpecificationItem

MAINTAIN_AND_DELETE = frozenset({"view", "add", "change", "delete"})


@admin.register(PriceType)
class PriceTypeAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None
    list_display = ("name", "code", "currency", "vat_included", "is_default", "sort_order")
    search_fields = ("name", "code")


@admin.register(Price)
class PriceAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None
    list_display = ("product", "price_type", "price")
    list_filter = ("price_type",)
    search_fields = ("product__article", "product__name")
    autocomplete_fields = ("product",)
    list_select_related = ("product", "price_type")
    show_full_result_count = False


@admin.register(ContractPrice)
class ContractPriceAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = "contract__client"
    manager_permissions = MAINTAIN_AND_DELETE
    list_display = ("contract", "product", "price", "vat_included")
    search_fields = ("product__article", "product__name", "contract__number")
    autocomplete_fields = ("product", "contract")
    list_select_related = ("product", "contract")


@admin.register(SpecificationItem)
class SpecificationItemAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = "contract__client"
    manager_permissions = MAINTAIN_AND_DELETE
    list_display = ("contract", "product", "fixed_price", "max_quantity")
    search_fields = ("product__article", "product__name", "contract__number")
    autocomplete_fields = ("product", "contract")
    list_select_related = ("product", "contract")


@admin.register(QuantityDiscount)
class QuantityDiscountAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None
    list_display = ("product", "category", "min_quantity", "percent")
    search_fields = ("product__article", "product__name", "category__name")
    autocomplete_fields = ("product", "category")


@admin.register(AmountDiscount)
class AmountDiscountAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = "client"
    manager_permissions = MAINTAIN_AND_DELETE
    list_display = ("client", "contract", "min_amount", "percent")
    search_fields = ("client__name", "contract__number")
    autocomplete_fields = ("client", "contract")

    def manager_filter(self, request):
        return Q(client__manager=request.user) | Q(contract__client__manager=request.user)

"""Back-office pages of the catalog. The catalog is the supplier's own data: administrators edit
it, managers may look it up."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from optovik.backoffice.admin_base import StaffScopedAdmin
from optovik.core.errors import ApplicationError

from . import services
from .models import (
    Attribute,
    AttributeOption,
    Barcode,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductRelation,
    Unit,
    VatRate,
)
from .search import search_index_update


class CatalogAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None


class CatalogInline(StaffScopedAdmin, TabularInline):
    client_lookup = None
    extra = 0


@admin.register(VatRate)
class VatRateAdmin(CatalogAdmin):
    list_display = ("name", "code", "rate", "is_exempt", "is_default")


@admin.register(Unit)
class UnitAdmin(CatalogAdmin):
    list_display = ("name", "okei_code")
    search_fields = ("name", "okei_code")


@admin.register(Brand)
class BrandAdmin(CatalogAdmin):
    list_display = ("name", "manufacturer", "country")
    search_fields = ("name", "manufacturer")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.brand_renamed(brand=obj)


@admin.register(Category)
class CategoryAdmin(CatalogAdmin):
    list_display = ("name", "parent", "depth", "sort_order", "is_active")
    list_filter = ("is_active", "depth")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("parent",)
    ordering = ("path",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        try:
            services.category_saved(category=obj)
        except ApplicationError as exc:
            messages.error(request, exc.message)


class AttributeOptionInline(CatalogInline):
    model = AttributeOption


@admin.register(Attribute)
class AttributeAdmin(CatalogAdmin):
    list_display = ("name", "code", "kind", "unit", "is_filterable", "sort_order")
    list_filter = ("kind", "is_filterable")
    search_fields = ("name", "code")
    inlines = (AttributeOptionInline,)


class BarcodeInline(CatalogInline):
    model = Barcode


class AttributeValueInline(CatalogInline):
    model = ProductAttributeValue
    fields = ("attribute", "value_key", "option")
    autocomplete_fields = ("attribute",)


class ImageInline(CatalogInline):
    model = ProductImage
    fields = ("image", "thumbnail", "alt", "sort_order")
    readonly_fields = ("thumbnail",)


class RelationInline(CatalogInline):
    model = ProductRelation
    fk_name = "product"
    fields = ("related", "kind")
    autocomplete_fields = ("related",)


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("article", "name", "category", "brand", "status")
    list_filter = ("status", "vat_rate")
    search_fields = ("article", "name", "code", "barcodes__code", "external_id")
    autocomplete_fields = ("category", "brand", "unit")
    list_select_related = ("category", "brand")
    show_full_result_count = False
    inlines = (BarcodeInline, AttributeValueInline, ImageInline, RelationInline)
    fieldsets = (
        (None, {"fields": ("article", "code", "name", "category", "brand", "status", "external_id")}),
        (_("Description"), {"fields": ("description",)}),
        (
            _("Ordering and logistics"),
            {"fields": ("unit", "vat_rate", "pack_multiplicity", "min_order_quantity", "weight_kg", "volume_m3")},
        ),
    )

    def save_model(self, request, obj, form, change):
        obj.description = services.description_sanitize(obj.description)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product = form.instance
        for image in product.images.filter(thumbnail=""):
            try:
                services.product_image_thumbnail_generate(image=image)
            except ApplicationError as exc:
                messages.error(request, exc.message)
        for relation in product.relations.all():
            ProductRelation.objects.get_or_create(product=relation.related, related=product, kind=relation.kind)
        search_index_update(product_ids=[product.pk])
        services.category_products_sync(product_ids=[product.pk])  # after the inline attribute values

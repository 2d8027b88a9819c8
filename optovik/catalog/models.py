"""The supplier's catalog: a category tree, products with their attributes, images, barcodes and
relations. Catalog rows belong to the supplier, not to a client, so they are not scoped; what a
client may see is decided by ``selectors.product_visible_queryset``.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from optovik.core.models import ExternalIdMixin, TimeStampedModel


class VatRate(models.Model):
    """A VAT rate as data: 22 %, 10 %, 0 % and "без НДС" (rate 0, ``is_exempt``)."""

    code = models.SlugField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    rate = models.DecimalField(
        _("rate, %"), max_digits=5, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    is_exempt = models.BooleanField(_("without VAT"), default=False, help_text=_("Documents say «Без НДС»."))
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["-rate", "is_exempt"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit of measure with its OKEI code (796 шт, 166 кг, 055 м², …)."""

    name = models.CharField(_("name"), max_length=32)
    okei_code = models.CharField(_("OKEI code"), max_length=4, unique=True)

    class Meta:
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Brand(ExternalIdMixin, models.Model):
    name = models.CharField(_("name"), max_length=128, unique=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(ExternalIdMixin, models.Model):
    """A node of the category tree. ``path`` is the materialized path of ids ("/3/17/42/"): a
    category and all its subcategories are the rows whose path starts with its own."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    image = models.ImageField(_("image"), upload_to="catalog/categories/", blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this category, itself included."""
        return [int(x) for x in self.path.strip("/").split("/") if x]


class Product(ExternalIdMixin, TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    article = models.CharField(_("article"), max_length=64, unique=True, help_text=_("The SKU, unique."))
    code = models.CharField(_("code"), max_length=32, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True, help_text=_("Sanitized HTML."))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A handful of units and VAT rates: an index on them would select nothing and cost every write
    # (deleting a unit or a rate, which checks for products, is rare).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit of measure"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    pack_multiplicity = models.DecimalField(
        _("pack multiplicity"), max_digits=12, decimal_places=3, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=12,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
    )
    weight_kg = models.DecimalField(_("weight, kg"), max_digits=12, decimal_places=3, null=True, blank=True)
    volume_m3 = models.DecimalField(_("volume, m³"), max_digits=12, decimal_places=6, null=True, blank=True)
    vat_rate = models.ForeignKey(
        VatRate, verbose_name=_("VAT rate"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        indexes = [
            # Category pages and listings look only at active products (partial indexes).
            models.Index(fields=["category", "name"], name="product_active_cat_name", condition=Q(status="active")),
            models.Index(fields=["category", "id"], name="product_active_cat_id", condition=Q(status="active")),
            models.Index(fields=["name"], name="product_active_name", condition=Q(status="active")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(pack_multiplicity__gt=0), name="product_pack_multiplicity_positive"),
            models.CheckConstraint(condition=Q(min_order_quantity__gt=0), name="product_min_order_positive"),
        ]

    def __str__(self):
        return f"{self.article} {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Barcode(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="barcodes")
    code = models.CharField(_("barcode"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")

    def __str__(self):
        return self.code


class Attribute(models.Model):
    """A product property; its values per product are ``ProductAttributeValue`` rows."""

    class Kind(models.TextChoices):
        STRING = "string", _("text")
        NUMBER = "number", _("number")
        ENUM = "enum", _("list of values")
        BOOLEAN = "boolean", _("yes / no")

    name = models.CharField(_("name"), max_length=128)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.STRING)
    unit = models.CharField(_("unit"), max_length=16, blank=True, help_text=_("For numbers: mm, kg, …"))
    is_filterable = models.BooleanField(_("filter in listings"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name}, {self.unit}" if self.unit else self.name


class AttributeOption(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(_("value"), max_length=128)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attribute option")
        verbose_name_plural = _("attribute options")
        ordering = ["sort_order", "value"]
        constraints = [models.UniqueConstraint(fields=["attribute", "value"], name="attribute_option_unique")]

    def __str__(self):
        return self.value


class ProductAttributeValue(models.Model):
    """One value of one attribute of one product. ``value_key`` is the value as text (an option's
    text, a number without trailing zeros, "1"/"0" for yes/no): filters and facets use it."""

    # Both indexed by the indexes below (product first; attribute first), not on their own.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values", db_index=False)
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="+", db_index=False)
    value_key = models.CharField(max_length=255)
    value_number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    # Indexed where set only (below): half the values are numbers, texts or yes/no.
    option = models.ForeignKey(
        AttributeOption, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    # The product's own category while the product is active (listed), else NULL: the values of a
    # category's products then lie together in one index (below), and a category page counts its
    # facets and filtered total from that index alone instead of looking up every product's values.
    # Kept by ``services.category_products_sync`` like the listing rows.
    listed_category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [models.UniqueConstraint(fields=["product", "attribute"], name="product_attribute_unique")]
        indexes = [
            models.Index(fields=["attribute", "value_key", "product"], name="pav_attr_value_product"),
            # Facet counts read this index only, never the table.
            models.Index(fields=["product", "attribute", "value_key"], name="pav_product_attr_value"),
            models.Index(fields=["option"], condition=Q(option__isnull=False), name="pav_option"),
            models.Index(fields=["listed_category", "attribute", "value_key", "product"], name="pav_listed_values"),
        ]

    def __str__(self):
        return self.value_key


def _image_path(instance, filename):
    return f"catalog/products/{filename}"


class ProductImage(models.Model):
    """A gallery image; ``thumbnail`` is generated by ``services.product_image_add``."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=_image_path, max_length=255)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="catalog/thumbnails/", max_length=255, blank=True)
    alt = models.CharField(_("description"), max_length=255, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["product", "sort_order"], name="product_image_order")]

    def __str__(self):
        return self.alt or self.image.name


class ProductRelation(models.Model):
    """Related products and analogs. Stored in both directions (the services write both rows)."""

    class Kind(models.TextChoices):
        RELATED = "related", _("related product")
        ANALOG = "analog", _("analog / substitute")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="relations")
    related = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    class Meta:
        verbose_name = _("product relation")
        verbose_name_plural = _("product relations")
        constraints = [
            models.UniqueConstraint(fields=["product", "related", "kind"], name="product_relation_unique"),
            models.CheckConstraint(condition=~Q(product=models.F("related")), name="product_relation_not_self"),
        ]

    def __str__(self):
        return f"{self.product_id} → {self.related_id} ({self.kind})"


class CategoryProduct(models.Model):
    """A listing row: an active product under one of the categories it belongs to — its own and
    every ancestor. A category page sorted by name or by novelty is then one ordered index range
    (``category, name, product`` / ``category, product`` / ``category, available, name, product``)
    instead of a sort of every product of the subtree. Written by ``services.category_products_sync``
    (single products) and ``services.category_products_rebuild`` (bulk loads); archived products
    have no rows. ``name`` is a copy of the product's; ``available``, the key of the sort by
    availability, is its available stock over the active warehouses, counted again after every
    write of stock (``inventory.services.stock_write``)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    available = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))

    class Meta:
        verbose_name = _("category listing row")
        verbose_name_plural = _("category listing rows")
        constraints = [
            # Written with expressions so that it is a unique index, not a table constraint: SQLite
            # cannot drop a table constraint's index, and bulk loads build this one sorted at the
            # end (rows arrive in product order; keeping the index up to date doubled the load).
            models.UniqueConstraint(F("category"), F("product"), name="category_product_unique"),
        ]
        indexes = [
            models.Index(fields=["category", "name", "product"], name="category_product_name"),
            models.Index(fields=["category", "-available", "name", "product"], name="category_product_available"),
        ]

    def __str__(self):
        return f"{self.category_id} → {self.product_id}"

"""Warehouses, stock per product and warehouse, expected arrivals, and how stock is shown."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from optovik.catalog.models import Product
from optovik.core.models import ExternalIdMixin


class Warehouse(ExternalIdMixin, models.Model):
    name = models.CharField(_("name"), max_length=128)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    is_pickup_point = models.BooleanField(_("pickup point"), default=False)
    working_hours = models.CharField(_("working hours"), max_length=255, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """Stock of a product in a warehouse. Available = on hand − reserved, never negative."""

    # Looked up through the unique (product, warehouse) index: no index of its own.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock")
    on_hand = models.DecimalField(
        _("on hand"), max_digits=14, decimal_places=3, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    reserved = models.DecimalField(
        _("reserved"), max_digits=14, decimal_places=3, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="stock_product_warehouse_unique"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(on_hand__gte=F("reserved")), name="stock_available_not_negative"),
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.warehouse_id}: {self.available}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class ExpectedArrival(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("expected on"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("expected arrival")
        verbose_name_plural = _("expected arrivals")
        ordering = ["date"]
        indexes = [models.Index(fields=["product", "date"], name="arrival_product_date")]

    def __str__(self):
        return f"{self.product_id}: {self.quantity} on {self.date}"


class InventorySettings(models.Model):
    """How customers see stock: exact numbers, or levels "many / few / out of stock". One row (pk 1)."""

    class Mode(models.TextChoices):
        EXACT = "exact", _("exact quantities")
        LEVELS = "levels", _("levels: many / few / none")

    mode = models.CharField(_("stock display"), max_length=8, choices=Mode.choices, default=Mode.LEVELS)
    few_threshold = models.DecimalField(
        _("«few» up to"),
        max_digits=14,
        decimal_places=3,
        default=Decimal(10),
        validators=[MinValueValidator(0)],
        help_text=_("Available quantities up to this number show as «few»."),
    )
    show_warehouses = models.BooleanField(_("show stock per warehouse"), default=True)

    class Meta:
        verbose_name = _("stock display settings")
        verbose_name_plural = _("stock display settings")

    def __str__(self):
        return str(_("Stock display settings"))

"""Prices and discounts. Only ``resolver.prices_resolve`` turns these rows into a price.

Contract-keyed rows (contract prices, the specification, amount tiers) are reached only through a
contract that the caller has already resolved inside the tenancy scope, so they are not scoped.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from optovik.catalog.models import Category, Product
from optovik.core.models import ExternalIdMixin

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class PriceType(ExternalIdMixin, models.Model):
    """A price list column ("Розничная", "Оптовая", "Дилерская"); a contract names one."""

    name = models.CharField(_("name"), max_length=128)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    vat_included = models.BooleanField(_("VAT included"), default=True, help_text=_("Off: VAT is added on top."))
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for contracts without a price type.")
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("price type")
        verbose_name_plural = _("price types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Price(models.Model):
    # Looked up by (product, price type) through the unique index below; ``price_type_price`` keeps a
    # price type's prices in order for broad category pages sorted by price (the catalog's selectors).
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)
    price_type = models.ForeignKey(PriceType, on_delete=models.CASCADE, related_name="prices", db_index=False)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "price_type"], name="price_product_type_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="price_not_negative"),
        ]
        indexes = [models.Index(fields=["price_type", "price", "product"], name="price_type_price")]

    def __str__(self):
        return str(self.price)


class ContractPrice(models.Model):
    """A price negotiated in a contract; it replaces the price type's price and takes no discounts."""

    contract = models.ForeignKey("customers.Contract", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    vat_included = models.BooleanField(_("VAT included"), default=True)

    class Meta:
        verbose_name = _("contract price")
        verbose_name_plural = _("contract prices")
        constraints = [
            models.UniqueConstraint(fields=["contract", "product"], name="contract_price_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="contract_price_not_negative"),
        ]
        indexes = [models.Index(fields=["contract", "price", "product"], name="contract_price_order")]

    def __str__(self):
        return str(self.price)


class SpecificationItem(models.Model):
    """A line of a contract's specification: a product the contract may buy, optionally at a fixed
    price and up to a maximum quantity. A "specification only" contract sees only these products."""

    contract = models.ForeignKey("customers.Contract", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    fixed_price = models.DecimalField(
        _("fixed price"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    vat_included = models.BooleanField(_("VAT included"), default=True)
    max_quantity = models.DecimalField(
        _("maximum quantity"), max_digits=14, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("specification item")
        verbose_name_plural = _("specification items")
        constraints = [models.UniqueConstraint(fields=["contract", "product"], name="specification_item_unique")]

    def __str__(self):
        return f"{self.contract_id}: {self.product_id}"


class QuantityDiscount(models.Model):
    """From ``min_quantity`` units of a product (or of any product of a category and its
    subcategories) the price type's price is ``percent`` lower. The best matching tier wins."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    min_quantity = models.DecimalField(
        _("from quantity"), max_digits=14, decimal_places=3, validators=[MinValueValidator(0)]
    )
    percent = models.DecimalField(_("discount, %"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    class Meta:
        verbose_name = _("quantity discount")
        verbose_name_plural = _("quantity discounts")
        ordering = ["min_quantity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, category__isnull=True)
                | Q(product__isnull=True, category__isnull=False),
                name="quantity_discount_product_xor_category",
            ),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="quantity_discount_percent"),
        ]

    def __str__(self):
        return f"≥ {self.min_quantity}: −{self.percent} %"


class AmountDiscount(models.Model):
    """From an order amount of ``min_amount`` (with VAT) a client's or a contract's price type
    prices are ``percent`` lower. The best matching tier wins."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    contract = models.ForeignKey(
        "customers.Contract", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    min_amount = models.DecimalField(
        _("from amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    percent = models.DecimalField(_("discount, %"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    class Meta:
        verbose_name = _("order amount discount")
        verbose_name_plural = _("order amount discounts")
        ordering = ["min_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(contract__isnull=False), name="amount_discount_has_owner"
            ),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="amount_discount_percent"),
        ]

    def __str__(self):
        return f"≥ {self.min_amount}: −{self.percent} %"

"""Writes of the catalog. Every service that changes a product's searchable text updates the
search index itself (bulk paths call ``search_index_update`` once per batch)."""

import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from optovik.core.errors import ApplicationError
from optovik.inventory.selectors import AVAILABLE_SUM, available_totals

from .models import (
    Attribute,
    AttributeOption,
    Category,
    CategoryProduct,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductRelation,
)
from .search import search_index_update

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "a", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
THUMBNAIL_SIZE = (320, 320)
MAX_IMAGE_PIXELS = 40_000_000


def description_sanitize(value: str) -> str:
    """Rich text as safe HTML: allowed tags only, no scripts, styles or event handlers."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _validation_to_application(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return ApplicationError(f"{errors[0].messages[0]}", field=field)
    return ApplicationError(exc.messages[0])


# Categories ------------------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *, name: str, parent: Category | None = None, slug: str = "", sort_order: int = 0, external_id: str | None = None
) -> Category:
    """Creates a category under ``parent`` (or at the root)."""
    if not (name or "").strip():
        raise ApplicationError(_("A category needs a name."), field="name")
    category = Category(
        name=name.strip(),
        parent=parent,
        slug=slug or slugify(name, allow_unicode=True)[:255],
        sort_order=sort_order,
        external_id=external_id,
    )
    category.save()
    category.path = f"{parent.path if parent else '/'}{category.pk}/"
    category.depth = parent.depth + 1 if parent else 0
    category.save(update_fields=["path", "depth"])
    return category


@transaction.atomic
def category_move(*, category: Category, parent: Category | None) -> Category:
    """Moves a category with its whole subtree under ``parent``."""
    if parent is not None and parent.path.startswith(category.path):
        raise ApplicationError(_("A category cannot be moved into itself or its subcategory."), field="parent")
    old_path, old_depth = category.path, category.depth
    new_path = f"{parent.path if parent else '/'}{category.pk}/"
    new_depth = parent.depth + 1 if parent else 0
    subtree = list(Category.objects.select_for_update().filter(path__startswith=old_path))
    for node in subtree:
        node.path = new_path + node.path[len(old_path) :]
        node.depth = node.depth - old_depth + new_depth
        if node.pk == category.pk:
            node.parent = parent
    Category.objects.bulk_update(subtree, ["path", "depth", "parent"])
    category.refresh_from_db()
    category_products_sync(
        product_ids=Product.objects.filter(category__path__startswith=new_path).values_list("id", flat=True),
        values=False,  # a move changes no product's own category or status
    )
    return category


def category_saved(*, category: Category) -> Category:
    """Brings ``path`` and ``depth`` of a category saved elsewhere (the admin) in line with its parent."""
    parent = category.parent
    if not category.path:
        category.path = f"{parent.path if parent else '/'}{category.pk}/"
        category.depth = parent.depth + 1 if parent else 0
        category.save(update_fields=["path", "depth"])
        return category
    expected = f"{parent.path if parent else '/'}{category.pk}/"
    if category.path != expected:
        return category_move(category=category, parent=parent)
    return category


# Products --------------------------------------------------------------------------------------

PRODUCT_FIELDS = {
    "article", "code", "name", "description", "category", "brand", "unit", "pack_multiplicity",
    "min_order_quantity", "weight_kg", "volume_m3", "vat_rate", "status", "external_id",
}  # fmt: skip


@transaction.atomic
def product_create(*, article: str, name: str, category: Category, unit, vat_rate, **fields) -> Product:
    """Creates a product (description sanitized) and indexes it for search."""
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"Unknown product fields: {', '.join(sorted(unknown))}")
    product = Product(
        article=(article or "").strip(), name=(name or "").strip(), category=category, unit=unit, vat_rate=vat_rate
    )
    return _product_save(product, fields)


@transaction.atomic
def product_update(*, product: Product, **fields) -> Product:
    """Changes a product's fields (description sanitized) and its search index entry."""
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"Unknown product fields: {', '.join(sorted(unknown))}")
    return _product_save(product, fields)


def _product_save(product: Product, fields: dict) -> Product:
    for key, value in fields.items():
        setattr(product, key, value)
    product.description = description_sanitize(product.description)
    try:
        product.full_clean()
    except ValidationError as exc:
        raise _validation_to_application(exc)
    product.save()
    search_index_update(product_ids=[product.pk])
    category_products_sync(product_ids=[product.pk])
    return product


# Category listing rows -------------------------------------------------------------------------


def category_products_sync(*, product_ids, values: bool = True) -> None:
    """Rewrites the listing rows (``CategoryProduct``) of these products: one per category from the
    root down to the product's own, none for an archived product; and, unless ``values`` is false,
    the listed category of their attribute values (the product's own category, NULL for an
    archived product)."""
    ids = list(product_ids)
    if values:
        listed = Product.objects.filter(pk=OuterRef("product_id"), status=Product.Status.ACTIVE)
        ProductAttributeValue.objects.filter(product_id__in=ids).update(
            listed_category_id=Subquery(listed.values("category_id")[:1])
        )
    CategoryProduct.objects.filter(product_id__in=ids).delete()
    active = Product.objects.filter(pk__in=ids, status=Product.Status.ACTIVE)
    listed = list(active.values_list("pk", "name", "category__path"))
    available = available_totals([pk for pk, _name, _path in listed]) if listed else {}
    rows = [
        CategoryProduct(category_id=int(category_id), product_id=pk, name=name, available=available.get(pk, 0))
        for pk, name, path in listed
        for category_id in path.strip("/").split("/")
        if category_id
    ]
    CategoryProduct.objects.bulk_create(rows, batch_size=2000)


def category_products_rebuild() -> None:
    """Rebuilds every listing row inside the database (bulk loads: the generator), with each
    product's available stock. The attribute values' listed category is the load's to write (the
    generator writes it with the values)."""
    pairs = sorted(
        (pk, int(ancestor))
        for pk, path in Category.objects.values_list("pk", "path")
        for ancestor in path.strip("/").split("/")
        if ancestor
    )
    # The (category, ancestor) pairs go to a small keyed temporary table; the products are read
    # once in id order (CROSS JOIN keeps that order on SQLite), so the listing rows arrive sorted
    # by product within each category.
    temp = "pg_temp" if connection.vendor == "postgresql" else "temp"
    ancestors, available = f"{temp}.category_ancestor", f"{temp}.product_available"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_categoryproduct")
        if not pairs:
            return
        cursor.execute(f"DROP TABLE IF EXISTS {ancestors}")
        cursor.execute(f"DROP TABLE IF EXISTS {available}")
        cursor.execute(
            "CREATE TEMP TABLE category_ancestor (leaf BIGINT NOT NULL, ancestor BIGINT NOT NULL, "
            "PRIMARY KEY (leaf, ancestor))"
        )
        cursor.executemany(f"INSERT INTO {ancestors} (leaf, ancestor) VALUES (%s, %s)", pairs)  # noqa: S608
        # Each product's available stock, summed once (the stock rows lie in product order in the
        # (product, warehouse) index), for all of its rows.
        cursor.execute("CREATE TEMP TABLE product_available (product_id BIGINT PRIMARY KEY, available NUMERIC)")
        cursor.execute(
            f"INSERT INTO {available} (product_id, available) SELECT s.product_id, {AVAILABLE_SUM} "  # noqa: S608
            "FROM inventory_stock s JOIN inventory_warehouse w ON w.id = s.warehouse_id WHERE w.is_active = %s "
            "GROUP BY s.product_id",
            [True],
        )
        cursor.execute(
            "INSERT INTO catalog_categoryproduct (category_id, product_id, name, available) "  # noqa: S608 - constants only
            f"SELECT m.ancestor, p.id, p.name, COALESCE(a.available, 0) FROM catalog_product p "
            f"CROSS JOIN {ancestors} m LEFT JOIN {available} a ON a.product_id = p.id "
            "WHERE m.leaf = p.category_id AND p.status = %s",
            [Product.Status.ACTIVE],
        )
        cursor.execute(f"DROP TABLE {ancestors}")
        cursor.execute(f"DROP TABLE {available}")


def brand_renamed(*, brand) -> None:
    """A brand's new name reaches its products' search entries (SQLite indexes the brand with the
    product's name)."""
    search_index_update(product_ids=list(Product.objects.filter(brand=brand).values_list("pk", flat=True)))


def product_archive(*, product: Product) -> Product:
    return product_update(product=product, status=Product.Status.ARCHIVED)


def _value_key(attribute: Attribute, value) -> tuple[str, Decimal | None, AttributeOption | None]:
    kind = attribute.kind
    if kind == Attribute.Kind.BOOLEAN:
        truthy = value in (True, 1, "1", "true", "True", "yes", "да")
        return ("1" if truthy else "0"), None, None
    if kind == Attribute.Kind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ApplicationError(_("%(name)s must be a number.") % {"name": attribute.name}, field=attribute.code)
        if not number.is_finite():
            raise ApplicationError(_("%(name)s must be a number.") % {"name": attribute.name}, field=attribute.code)
        text = f"{number.normalize():f}"
        return text, number, None
    text = str(value).strip()
    if not text:
        raise ApplicationError(_("%(name)s needs a value.") % {"name": attribute.name}, field=attribute.code)
    if kind == Attribute.Kind.ENUM:
        option = AttributeOption.objects.filter(attribute=attribute, value=text).first()
        if option is None:
            raise ApplicationError(
                _("«%(value)s» is not a value of %(name)s.") % {"value": text, "name": attribute.name},
                field=attribute.code,
            )
        return option.value, None, option
    return text[:255], None, None


def product_attribute_set(*, product: Product, attribute: Attribute, value) -> ProductAttributeValue:
    """Sets (or replaces) a product's value of an attribute; ``None`` removes it."""
    if value is None:
        ProductAttributeValue.objects.filter(product=product, attribute=attribute).delete()
        return None
    key, number, option = _value_key(attribute, value)
    listed = product.category_id if product.status == Product.Status.ACTIVE else None
    obj, _created = ProductAttributeValue.objects.update_or_create(
        product=product,
        attribute=attribute,
        defaults={"value_key": key, "value_number": number, "option": option, "listed_category_id": listed},
    )
    return obj


def thumbnail_bytes(data: bytes) -> bytes:
    """A JPEG thumbnail (at most ``THUMBNAIL_SIZE``) of an image; ApplicationError if it is none."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img.thumbnail(THUMBNAIL_SIZE)
            if img.mode not in ("RGB", "L"):
                background = Image.new("RGB", img.size, "white")
                rgba = img.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                img = background
            out = io.BytesIO()
            img.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ApplicationError(_("The file is not an image we can read (JPEG, PNG, WebP)."), field="image")


def product_image_thumbnail_generate(*, image: ProductImage) -> ProductImage:
    """(Re)generates the thumbnail of a stored gallery image."""
    with image.image.open("rb") as fh:
        thumb = thumbnail_bytes(fh.read())
    stem = slugify(Path(image.image.name).stem) or "image"
    image.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(thumb), save=False)
    image.save(update_fields=["thumbnail"])
    return image


@transaction.atomic
def product_image_add(*, product: Product, file, alt: str = "", sort_order: int | None = None) -> ProductImage:
    """Stores an uploaded image and its generated thumbnail in the product's gallery."""
    data = file.read()
    thumb = thumbnail_bytes(data)
    name = Path(getattr(file, "name", "") or "image").name
    stem = slugify(Path(name).stem) or "image"
    if sort_order is None:
        sort_order = ProductImage.objects.filter(product=product).count()
    image = ProductImage(product=product, alt=alt[:255], sort_order=sort_order)
    image.image.save(f"{product.pk}-{stem}{Path(name).suffix.lower() or '.jpg'}", ContentFile(data), save=False)
    image.thumbnail.save(f"{product.pk}-{stem}-thumb.jpg", ContentFile(thumb), save=False)
    image.save()
    return image


@transaction.atomic
def product_relate(*, product: Product, related: Product, kind: str) -> None:
    """Relates two products in both directions (related products, or analogs)."""
    if kind not in ProductRelation.Kind.values:
        raise ApplicationError(_("Unknown kind of relation."), field="kind")
    if product.pk == related.pk:
        raise ApplicationError(_("A product cannot be related to itself."), field="related")
    for a, b in ((product, related), (related, product)):
        ProductRelation.objects.get_or_create(product=a, related=b, kind=kind)


@transaction.atomic
def product_unrelate(*, product: Product, related: Product, kind: str) -> None:
    ProductRelation.objects.filter(product=product, related=related, kind=kind).delete()
    ProductRelation.objects.filter(product=related, related=product, kind=kind).delete()

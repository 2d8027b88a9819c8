import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from optovik.catalog import services
from optovik.catalog.models import Category, Product, ProductAttributeValue, ProductRelation
from optovik.core.errors import ApplicationError
from tests.catalog.builders import product


def png(size=(800, 600), mode="RGBA"):
    out = io.BytesIO()
    Image.new(mode, size, (200, 80, 40, 255) if mode == "RGBA" else (200, 80, 40)).save(out, "PNG")
    return SimpleUploadedFile("Фото товара.png", out.getvalue(), content_type="image/png")


def test_description_is_sanitized(shop):
    p = services.product_update(
        product=shop.cement,
        description='<p onclick="x()">Текст <script>alert(1)</script><a href="javascript:x">ссылка</a>'
        "<img src=x onerror=y><b>жирный</b></p>",
    )
    p.refresh_from_db()
    assert "<script" not in p.description and "onclick" not in p.description and "javascript:" not in p.description
    assert "<img" not in p.description and "<b>жирный</b>" in p.description


def test_product_errors_name_the_field_and_change_nothing(shop):
    with pytest.raises(ApplicationError) as exc:
        product("CEM-500-50", "Дубликат", shop.cement_cat)
    assert exc.value.field == "article"
    with pytest.raises(ApplicationError) as exc:
        services.product_update(product=shop.cement, name="")
    assert exc.value.field == "name"
    assert Product.objects.get(pk=shop.cement.pk).name.startswith("Цемент")


def test_image_upload_makes_a_thumbnail(shop):
    image = services.product_image_add(product=shop.cement, file=png(), alt="Мешок")
    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.width <= 320 and thumb.height <= 320 and thumb.format == "JPEG"
    with Image.open(image.image.path) as original:
        assert original.size == (800, 600)


def test_a_file_that_is_not_an_image_is_refused(shop):
    bad = SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")
    with pytest.raises(ApplicationError) as exc:
        services.product_image_add(product=shop.cement, file=bad)
    assert exc.value.field == "image"
    assert not shop.cement.images.exists()


def test_relations_are_stored_both_ways_and_removed_both_ways(shop):
    services.product_relate(product=shop.tyre_summer, related=shop.tyre_winter, kind="analog")
    assert ProductRelation.objects.filter(product=shop.tyre_winter, related=shop.tyre_summer, kind="analog").exists()
    services.product_unrelate(product=shop.tyre_winter, related=shop.tyre_summer, kind="analog")
    assert not ProductRelation.objects.exists()
    with pytest.raises(ApplicationError):
        services.product_relate(product=shop.cement, related=shop.cement, kind="analog")


def test_category_move_carries_the_subtree(shop):
    deep = services.category_create(name="Портландцемент", parent=shop.cement_cat)
    services.category_move(category=shop.cement_cat, parent=shop.tyres)
    deep.refresh_from_db()
    assert deep.path == f"{shop.tyres.path}{shop.cement_cat.pk}/{deep.pk}/" and deep.depth == 2
    with pytest.raises(ApplicationError):
        services.category_move(category=shop.tyres, parent=deep)
    assert Category.objects.get(pk=shop.tyres.pk).parent is None


def test_attribute_values_are_checked(shop):
    with pytest.raises(ApplicationError):
        services.product_attribute_set(product=shop.cement, attribute=shop.grade, value="М900")
    with pytest.raises(ApplicationError):
        services.product_attribute_set(product=shop.cement, attribute=shop.weight, value="тяжёлый")
    value = services.product_attribute_set(product=shop.cement, attribute=shop.weight, value="50,50")
    assert (value.value_key, value.value_number) == ("50.5", Decimal("50.5"))
    services.product_attribute_set(product=shop.cement, attribute=shop.weight, value=None)
    assert not ProductAttributeValue.objects.filter(product=shop.cement, attribute=shop.weight).exists()

"""A product edited in the back office: its attribute values reach the category page's facets; a
brand renamed there reaches its products' search entries."""

import pytest
from django.db import connection
from django.urls import reverse
from lxml import html

from optovik.accounts.models import User
from optovik.catalog import selectors
from optovik.catalog.models import Brand
from optovik.catalog.search import product_search
from tests.catalog.builders import product


def _form_data(page: bytes, form_id: str = "product_form") -> dict:
    """The fields of the change form as a browser would send them."""
    form = html.fromstring(page).get_element_by_id(form_id)
    data = {}
    for field in form.iter("input", "select", "textarea"):
        name = field.get("name")
        if (
            not name
            or field.get("type") in ("submit", "file")
            or (field.get("type") == "checkbox" and field.get("checked") is None)
        ):
            continue
        if field.tag == "select":
            data[name] = next((o.get("value") for o in field.iter("option") if o.get("selected") is not None), "")
        elif field.tag == "textarea":
            data[name] = field.text or ""
        else:
            data[name] = field.get("value", "on" if field.get("type") == "checkbox" else "")
    return data


def test_a_value_added_in_the_admin_is_counted_on_the_category_page(shop, client):
    admin = User.objects.create_superuser(email="root@optovik.example", password="x-Long-password-1")
    client.force_login(admin, backend="optovik.accounts.backends.EmailBackend")
    url = reverse("admin:catalog_product_change", args=[shop.cement.pk])
    data = _form_data(client.get(url).content)
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "attribute" in k).removesuffix("-TOTAL_FORMS")
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {
        f"{prefix}-TOTAL_FORMS": str(n + 1),
        f"{prefix}-{n}-attribute": str(shop.season.pk),
        f"{prefix}-{n}-value_key": "Летние",
        f"{prefix}-{n}-product": str(shop.cement.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    def summer(category):
        facets = selectors.facets(contract=None, category=category)
        return {v.value: v.count for f in facets if f.attribute == shop.season for v in f.values}

    assert summer(shop.cement_cat) == {"Летние": 1}
    page = selectors.product_list(contract=None, category=shop.building, filters={shop.season.pk: ["Летние"]})
    assert [row.product.article for row in page.rows] == ["CEM-500-50"] and page.total == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite indexes the brand with the name")
def test_a_brand_renamed_in_the_admin_is_found_by_its_new_name(shop, client):
    brand = Brand.objects.create(name="Старобренд")
    item = product("BRAND-1", "Клей монтажный универсальный", shop.building, brand="Старобренд")
    assert product_search(q="старобренд", contract=None).product_ids == [item.pk]
    admin = User.objects.create_superuser(email="root@optovik.example", password="x-Long-password-1")
    client.force_login(admin, backend="optovik.accounts.backends.EmailBackend")
    url = reverse("admin:catalog_brand_change", args=[brand.pk])

    response = client.post(url, _form_data(client.get(url).content, "brand_form") | {"name": "Новобренд"})

    assert response.status_code == 302, response.content.decode()[:3000]
    assert product_search(q="новобренд", contract=None).product_ids == [item.pk]
    assert product_search(q="старобренд", contract=None).product_ids == []

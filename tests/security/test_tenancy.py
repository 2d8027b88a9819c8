"""Tenancy and role matrix of the portal.

Signed in to one company, no object of another company can be read or changed through any portal
URL that takes an object id: each answers 404 (or 403 when the role may not use the page at all),
and the object stays as it was.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from optovik.customers import services
from optovik.customers.models import DeliveryAddress, Invitation, Membership, Role
from optovik.customers.permissions import permissions_for
from optovik.pricing.models import SpecificationItem
from tests import factories as f
from tests.catalog.builders import Shop
from tests.finance.documents_data import foreign_documents as _finance
from tests.ordering import lifecycle

# Every portal URL that takes an object id has a row here: (method, url name, kwargs builder).
# The builder gets the other company's objects (``Foreign``) and returns the URL kwargs.
# A NEW PORTAL URL WITH AN OBJECT ID MUST ADD ITS ROWS (GET and/or POST, as the view accepts);
# ``test_every_portal_url_with_an_id_is_in_the_table`` fails until it does.
FOREIGN_OBJECT_URLS = [
    ("GET", "address_edit", lambda o: {"pk": o.address.pk}),
    ("POST", "address_edit", lambda o: {"pk": o.address.pk}),
    ("GET", "address_delete", lambda o: {"pk": o.address.pk}),
    ("POST", "address_delete", lambda o: {"pk": o.address.pk}),
    ("POST", "address_make_default", lambda o: {"pk": o.address.pk}),
    ("GET", "user_edit", lambda o: {"pk": o.membership.pk}),
    ("POST", "user_edit", lambda o: {"pk": o.membership.pk}),
    ("POST", "user_deactivate", lambda o: {"pk": o.membership.pk}),
    ("POST", "user_reactivate", lambda o: {"pk": o.inactive_membership.pk}),
    ("POST", "invitation_revoke", lambda o: {"pk": o.invitation.pk}),
    ("POST", "order_cancel", lambda o: {"number": _lifecycle(o).order.number}),
    ("POST", "order_approve", lambda o: {"number": _lifecycle(o).order.number}),
    ("POST", "order_reject", lambda o: {"number": _lifecycle(o).order.number}),
    ("POST", "hold_release", lambda o: {"pk": _lifecycle(o).hold.pk}),
    ("GET", "hold_convert", lambda o: {"pk": _lifecycle(o).hold.pk}),
    ("POST", "hold_convert", lambda o: {"pk": _lifecycle(o).hold.pk}),
    ("GET", "demand_order", lambda o: {"pk": _lifecycle(o).plan.pk}),
    ("POST", "demand_order", lambda o: {"pk": _lifecycle(o).plan.pk}),
    ("GET", "order_detail", lambda o: {"number": _lifecycle(o).order.number}),
    ("GET", "order_export", lambda o: {"number": _lifecycle(o).order.number}),
    ("POST", "order_repeat", lambda o: {"number": _lifecycle(o).order.number}),
    ("GET", "list_detail", lambda o: {"pk": _saved_list(o).pk}),
    ("POST", "list_edit", lambda o: {"pk": _saved_list(o).pk}),
    ("POST", "list_delete", lambda o: {"pk": _saved_list(o).pk}),
    ("POST", "list_line_remove", lambda o: {"pk": _saved_list(o).pk}),
    ("POST", "list_to_cart", lambda o: {"pk": _saved_list(o).pk}),
    ("GET", "product", lambda o: {"article": o.product.article}),
    ("GET", "product_relations", lambda o: {"kind": "related", "article": o.product.article}),
    ("GET", "catalog_category", lambda o: {"category_path": o.category_path}),
    ("GET", "document_download", lambda o: {"pk": _finance(o).document.pk}),
    ("GET", "order_invoice", lambda o: {"number": _finance(o).order.number}),
    ("GET", "order_serials_xlsx", lambda o: {"number": _finance(o).order.number}),
    ("GET", "order_serials_csv", lambda o: {"number": _finance(o).order.number}),
    ("GET", "shipment_upd", lambda o: {"pk": _finance(o).shipment.pk}),
    ("GET", "shipment_serials_xlsx", lambda o: {"pk": _finance(o).shipment.pk}),
    ("GET", "shipment_serials_csv", lambda o: {"pk": _finance(o).shipment.pk}),
]


def _lifecycle(o):
    """СтройМаркет's order awaiting approval, reservation and confirmed plan, made on first use; the
    rows check they stay as they were."""
    if not hasattr(o, "lifecycle"):
        o.lifecycle = lifecycle.company_objects(legal_entity=o.address.legal_entity)
        o.lifecycle_before = _lifecycle_state(o.lifecycle)
    return o.lifecycle


def _lifecycle_state(objects):
    from optovik.ordering.models import DemandPlan, Hold, Order

    return (
        Order.objects.get(pk=objects.order.pk).status,
        Hold.objects.get(pk=objects.hold.pk).status,
        DemandPlan.objects.get(pk=objects.plan.pk).status,
    )


def _saved_list(o):
    """СтройМаркет's saved list, shared with its company, made on first use."""
    if not hasattr(o, "saved_list"):
        from optovik.ordering.models import SavedList, SavedListLine

        o.saved_list = SavedList.objects.create(
            client=o.address.client, owner=o.membership.user, name="Общий список", shared=True
        )
        SavedListLine.objects.create(client=o.address.client, saved_list=o.saved_list, product=o.product, quantity=1)
    return o.saved_list


def _buying_state():
    """Saved lists and carts, which the buying rows must leave as they were."""
    from optovik.ordering.models import CartLine, SavedList, SavedListLine

    return (
        sorted(SavedList.objects.values_list("pk", "name", "shared")),
        sorted(SavedListLine.objects.values_list("saved_list_id", "product_id", "quantity")),
        sorted(CartLine.objects.values_list("cart_id", "product_id", "quantity")),
    )


# Portal URLs whose path arguments are not object ids (one-time tokens checked by their own tests).
NOT_OBJECT_URLS = {"password_reset_confirm", "invitation_accept"}

# What a refused request tries to write, for every form in the table at once.
HOSTILE_POST = {
    "title": "Взлом",
    "address": "Подменённый адрес",
    "contact_phone": "+7 900 000-00-00",
    "role": "admin",
    "legal_entities": [],
}


def _id(value):
    return str(value) if isinstance(value, str | int) else "kw"


@pytest.fixture
def foreign(company, other_company):
    """СтройМаркет's objects that Вектор's users try to reach. Catalog products belong to the
    supplier, so the foreign product is one that only СтройМаркет's specification gives access to:
    Вектор's contract is "specification only" and holds another product."""
    address = f.DeliveryAddressFactory(legal_entity=company.le1, title="Главный склад")
    second = f.DeliveryAddressFactory(legal_entity=company.le1, title="Второй склад", is_default=True)
    membership = Membership.objects.get(user=company.buyer)
    inactive = f.MembershipFactory(client=company.client, role=Role.PURCHASER, is_active=False)
    invitation, _ = services.invitation_create(
        client=company.client, email="invitee@example.org", role=Role.PURCHASER, legal_entities=[company.le1]
    )
    shop = Shop()
    SpecificationItem.objects.create(contract=company.c1, product=shop.cement)
    SpecificationItem.objects.create(contract=other_company.contract, product=shop.tyre_summer)
    other_company.contract.specification_only = True
    other_company.contract.save()
    return type(
        "Foreign",
        (),
        {
            "product": shop.cement,
            "category_path": "стройматериалы/цемент",
            "address": address,
            "second_address": second,
            "membership": membership,
            "inactive_membership": inactive,
            "invitation": invitation,
        },
    )


def _snapshot(o):
    """Everything a refused request might have changed."""

    def member(m):
        m = Membership.objects.get(pk=m.pk)
        return (m.role, m.is_active, sorted(m.legal_entities.values_list("pk", flat=True)))

    invitation = Invitation.objects.get(pk=o.invitation.pk)
    return {
        "addresses": sorted(
            DeliveryAddress.objects.filter(pk__in=[o.address.pk, o.second_address.pk]).values_list(
                "pk", "title", "address", "contact_phone", "is_default"
            )
        ),
        "member": member(o.membership),
        "inactive_member": member(o.inactive_membership),
        "invitation": (invitation.revoked, invitation.accepted_at, invitation.token),
    }


@pytest.fixture(params=["purchaser", "admin"])
def intruder(request, other_company):
    """Вектор's purchaser (the fixture's), and an admin of Вектор, who may use every page."""
    if request.param == "purchaser":
        return other_company.buyer
    return f.MembershipFactory(client=other_company.client, role=Role.ADMIN).user


@pytest.mark.parametrize(("method", "url_name", "kwargs"), FOREIGN_OBJECT_URLS, ids=_id)
def test_other_company_object_is_not_found(foreign, intruder, login, method, url_name, kwargs):
    # given Вектор's user signed in and СтройМаркет's objects
    client = login(intruder)
    url = reverse(f"portal:{url_name}", kwargs=kwargs(foreign))
    before = _snapshot(foreign)
    buying_before = _buying_state()
    role = Membership.objects.get(user=intruder).role
    needed = resolve(url).func.portal_permission

    # when they reach for one of them
    response = client.post(url, HOSTILE_POST) if method == "POST" else client.get(url)

    # then it is not there for them (or the page is closed to their role), and nothing changed
    expected = 404 if needed is None or needed in permissions_for(role) else 403
    assert response.status_code == expected
    assert _snapshot(foreign) == before
    if hasattr(foreign, "lifecycle"):
        assert _lifecycle_state(foreign.lifecycle) == foreign.lifecycle_before
    assert _buying_state() == buying_before


def test_every_portal_url_with_an_id_is_in_the_table():
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "portal" and getattr(p.pattern, "converters", None):
                yield p.name

    with_ids = set(walk(get_resolver().url_patterns)) - NOT_OBJECT_URLS
    assert with_ids, "the portal URLs were not found"
    assert with_ids <= {name for _, name, _ in FOREIGN_OBJECT_URLS}


def test_other_company_address_does_not_show_in_lists(foreign, other_company, login, company):
    client = login(other_company.buyer)
    body = client.get(reverse("portal:addresses")).content.decode()
    assert foreign.address.address not in body
    assert other_company.address.address in body


# Roles inside one company: (who, method, url name, kwargs builder, expected status).
ROLE_TABLE = [
    ("accountant", "GET", "finance", None, 200),
    ("accountant", "GET", "documents", None, 200),
    ("purchaser", "GET", "documents", None, 200),
    ("purchaser", "GET", "finance", None, 403),
    ("purchaser", "GET", "finance_act_pdf", None, 403),
    ("purchaser", "GET", "finance_act_xlsx", None, 403),
    ("accountant", "GET", "users", None, 403),
    ("accountant", "GET", "invitation_create", None, 403),
    ("accountant", "POST", "invitation_create", None, 403),
    ("accountant", "GET", "user_edit", lambda c, o: {"pk": o.membership.pk}, 403),
    ("accountant", "POST", "user_deactivate", lambda c, o: {"pk": o.membership.pk}, 403),
    ("accountant", "POST", "invitation_revoke", lambda c, o: {"pk": o.invitation.pk}, 403),
    ("accountant", "GET", "addresses", None, 403),
    ("accountant", "GET", "address_create", None, 403),
    ("accountant", "POST", "address_create", None, 403),
    ("accountant", "POST", "address_edit", lambda c, o: {"pk": o.address.pk}, 403),
    ("accountant", "POST", "address_delete", lambda c, o: {"pk": o.address.pk}, 403),
    ("accountant", "POST", "address_make_default", lambda c, o: {"pk": o.address.pk}, 403),
    ("purchaser", "GET", "users", None, 403),
    ("purchaser", "GET", "invitation_create", None, 403),
    ("purchaser", "POST", "invitation_create", None, 403),
    ("purchaser", "POST", "user_edit", lambda c, o: {"pk": o.membership.pk}, 403),
    ("purchaser", "POST", "user_deactivate", lambda c, o: {"pk": o.membership.pk}, 403),
    ("purchaser", "POST", "invitation_revoke", lambda c, o: {"pk": o.invitation.pk}, 403),
    ("purchaser", "GET", "addresses", None, 200),
    ("purchaser", "GET", "address_edit", lambda c, o: {"pk": o.address.pk}, 200),
    ("admin", "GET", "users", None, 200),
    ("admin", "GET", "user_edit", lambda c, o: {"pk": o.membership.pk}, 200),
    ("admin", "GET", "invitation_create", None, 200),
    ("accountant", "GET", "holds", None, 403),
    ("accountant", "POST", "hold_create", None, 403),
    ("accountant", "GET", "demand", None, 403),
    ("accountant", "POST", "order_cancel", lambda c, o: {"number": _lifecycle(o).order.number}, 403),
    ("purchaser", "GET", "approval_rules", None, 403),
    ("purchaser", "POST", "approval_rules", None, 403),
    ("purchaser", "GET", "approvals_pending", None, 403),
    ("purchaser", "POST", "order_approve", lambda c, o: {"number": _lifecycle(o).order.number}, 403),
    ("purchaser", "POST", "order_reject", lambda c, o: {"number": _lifecycle(o).order.number}, 403),
    ("purchaser", "GET", "holds", None, 200),
    ("purchaser", "GET", "demand", None, 200),
    ("accountant", "GET", "cart", None, 403),
    ("accountant", "POST", "cart_add", None, 403),
    ("accountant", "GET", "checkout", None, 403),
    ("accountant", "POST", "checkout", None, 403),
    ("accountant", "GET", "quick_order", None, 403),
    ("accountant", "GET", "lists", None, 403),
    ("accountant", "POST", "order_repeat", lambda c, o: {"number": _lifecycle(o).order.number}, 403),
    ("accountant", "GET", "orders", None, 200),
    ("purchaser", "GET", "cart", None, 200),
    ("purchaser", "GET", "orders", None, 200),
    ("purchaser", "GET", "order_detail", lambda c, o: {"number": _lifecycle(o).order.number}, 200),
    ("purchaser", "GET", "list_detail", lambda c, o: {"pk": _saved_list(o).pk}, 200),
    ("admin", "GET", "approval_rules", None, 200),
    ("admin", "GET", "approvals_pending", None, 200),
]
GUARDED_URLS = sorted({(method, name, kw) for _, method, name, kw, _ in ROLE_TABLE}, key=lambda r: (r[1], r[0]))


@pytest.mark.parametrize(("who", "method", "url_name", "kwargs", "expected"), ROLE_TABLE, ids=_id)
def test_role_matrix(company, foreign, login, who, method, url_name, kwargs, expected):
    client = login({"accountant": company.accountant, "purchaser": company.buyer, "admin": company.admin}[who])
    if who == "admin":  # the admin's first legal entity is le2; foreign.address belongs to le1
        client.post(reverse("portal:switch"), {"legal_entity": company.le1.pk})
    url = reverse(f"portal:{url_name}", kwargs=kwargs(company, foreign) if kwargs else None)
    before = _snapshot(foreign)

    response = client.post(url, {**HOSTILE_POST, "email": "x@new.example"}) if method == "POST" else client.get(url)

    assert response.status_code == expected
    if expected == 403:
        assert _snapshot(foreign) == before
        assert not Invitation.objects.filter(email="x@new.example").exists()


@pytest.mark.parametrize(("method", "url_name", "kwargs"), GUARDED_URLS, ids=_id)
def test_anonymous_is_sent_to_sign_in(client, company, foreign, method, url_name, kwargs):
    url = reverse(f"portal:{url_name}", kwargs=kwargs(company, foreign) if kwargs else None)
    before = _snapshot(foreign)

    response = client.post(url, HOSTILE_POST) if method == "POST" else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login") + "?next=")
    assert _snapshot(foreign) == before


@pytest.mark.parametrize(("method", "url_name", "kwargs"), GUARDED_URLS, ids=_id)
def test_staff_user_is_sent_to_the_admin(company, foreign, login, method, url_name, kwargs):
    client = login(f.StaffFactory())
    url = reverse(f"portal:{url_name}", kwargs=kwargs(company, foreign) if kwargs else None)
    before = _snapshot(foreign)

    response = client.post(url, HOSTILE_POST) if method == "POST" else client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert _snapshot(foreign) == before


def test_specification_product_opens_for_its_own_company(foreign, company, login):
    """The control for the catalog rows of the table: the product and its category are there."""
    client = login(company.buyer)

    card = reverse("portal:product", kwargs={"article": foreign.product.article})
    category = reverse("portal:catalog_category", kwargs={"category_path": foreign.category_path})
    assert client.get(card).status_code == 200
    assert client.get(category).status_code == 200

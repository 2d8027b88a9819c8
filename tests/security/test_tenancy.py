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
from tests import factories as f

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
]

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
def foreign(company):
    """СтройМаркет's objects that Вектор's users try to reach."""
    address = f.DeliveryAddressFactory(legal_entity=company.le1, title="Главный склад")
    second = f.DeliveryAddressFactory(legal_entity=company.le1, title="Второй склад", is_default=True)
    membership = Membership.objects.get(user=company.buyer)
    inactive = f.MembershipFactory(client=company.client, role=Role.PURCHASER, is_active=False)
    invitation, _ = services.invitation_create(
        client=company.client, email="invitee@example.org", role=Role.PURCHASER, legal_entities=[company.le1]
    )
    return type(
        "Foreign",
        (),
        {
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
    role = Membership.objects.get(user=intruder).role
    needed = resolve(url).func.portal_permission

    # when they reach for one of them
    response = client.post(url, HOSTILE_POST) if method == "POST" else client.get(url)

    # then it is not there for them (or the page is closed to their role), and nothing changed
    expected = 404 if needed is None or needed in permissions_for(role) else 403
    assert response.status_code == expected
    assert _snapshot(foreign) == before


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

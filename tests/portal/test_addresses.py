import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from optovik.customers import services
from optovik.customers.models import DeliveryAddress
from tests import factories as f


def _addresses(le):
    return list(DeliveryAddress.objects.filter(legal_entity=le).order_by("pk"))


def _defaults(le):
    return list(DeliveryAddress.objects.filter(legal_entity=le, is_default=True))


def test_purchaser_sees_only_addresses_of_current_legal_entity(company, other_company, login):
    # given addresses of both legal entities and of another company
    f.DeliveryAddressFactory(legal_entity=company.le1, address="г. Москва, ул. Первая, д. 1")
    f.DeliveryAddressFactory(legal_entity=company.le2, address="г. Тверь, ул. Вторая, д. 2")
    client = login(company.buyer)

    # when
    response = client.get(reverse("portal:addresses"))

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "ул. Первая" in body
    assert "ул. Вторая" not in body
    assert other_company.address.address not in body


def test_address_list_query_count_does_not_grow_with_rows(company, login, django_assert_max_num_queries):
    client = login(company.buyer)
    f.DeliveryAddressFactory.create_batch(2, legal_entity=company.le1)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("portal:addresses"))
    f.DeliveryAddressFactory.create_batch(20, legal_entity=company.le1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("portal:addresses"))
    assert response.content.decode().count('id="address-') == 22


def test_first_address_becomes_default_and_phone_is_normalised(company, login):
    client = login(company.buyer)

    # when
    response = client.post(
        reverse("portal:address_create"),
        {"title": "Склад", "address": "г. Москва, ул. Новая, д. 5", "contact_phone": "8 (916) 123-45-67"},
    )

    # then
    assert response.status_code == 302
    [address] = _addresses(company.le1)
    assert address.is_default
    assert address.contact_phone == "+79161234567"
    assert address.client_id == company.client.pk


def test_second_address_is_not_default_unless_asked(company, login):
    client = login(company.buyer)
    first = f.DeliveryAddressFactory(legal_entity=company.le1, is_default=True)

    client.post(reverse("portal:address_create"), {"address": "г. Москва, ул. Вторая, д. 2"})
    assert _defaults(company.le1) == [first]

    client.post(reverse("portal:address_create"), {"address": "г. Москва, ул. Третья, д. 3", "make_default": "on"})
    [default] = _defaults(company.le1)
    assert default.address == "г. Москва, ул. Третья, д. 3"


def test_invalid_phone_is_refused_and_nothing_saved(company, login):
    client = login(company.buyer)

    response = client.post(reverse("portal:address_create"), {"address": "г. Москва, д. 1", "contact_phone": "12-34"})

    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"]
    assert 'id="contact_phone-error"' in response.content.decode()
    assert _addresses(company.le1) == []


def test_address_is_required(company, login):
    client = login(company.buyer)
    response = client.post(reverse("portal:address_create"), {"title": "Без адреса"})
    assert response.context["form"].errors["address"]
    assert _addresses(company.le1) == []


def test_edit_address(company, login):
    client = login(company.buyer)
    address = f.DeliveryAddressFactory(legal_entity=company.le1, is_default=True)

    page = client.get(reverse("portal:address_edit", args=[address.pk]))
    assert address.address in page.content.decode()
    response = client.post(
        reverse("portal:address_edit", args=[address.pk]),
        {"title": "Офис", "address": "г. Москва, ул. Офисная, д. 9", "contact_name": "Пётр", "contact_phone": ""},
    )

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.title, address.address, address.contact_name) == ("Офис", "г. Москва, ул. Офисная, д. 9", "Пётр")
    assert address.is_default


def test_edit_with_invalid_phone_changes_nothing(company, login):
    client = login(company.buyer)
    address = f.DeliveryAddressFactory(legal_entity=company.le1, title="Склад")

    response = client.post(
        reverse("portal:address_edit", args=[address.pk]),
        {"title": "Другое", "address": "Другой адрес", "contact_phone": "abc"},
    )

    assert response.status_code == 200
    address.refresh_from_db()
    assert address.title == "Склад"


def test_delete_asks_for_confirmation_first(company, login):
    client = login(company.buyer)
    address = f.DeliveryAddressFactory(legal_entity=company.le1)

    response = client.get(reverse("portal:address_delete", args=[address.pk]))

    assert response.status_code == 200
    assert response.context["address"] == address
    assert 'class="btn btn-danger"' in response.content.decode()
    assert DeliveryAddress.objects.filter(pk=address.pk).exists()


def test_deleting_default_makes_another_default(company, login):
    client = login(company.buyer)
    default = f.DeliveryAddressFactory(legal_entity=company.le1, is_default=True)
    other = f.DeliveryAddressFactory(legal_entity=company.le1)

    response = client.post(reverse("portal:address_delete", args=[default.pk]))

    assert response.status_code == 302
    assert _addresses(company.le1) == [other]
    other.refresh_from_db()
    assert other.is_default


def test_deleting_non_default_keeps_default(company, login):
    client = login(company.buyer)
    default = f.DeliveryAddressFactory(legal_entity=company.le1, is_default=True)
    other = f.DeliveryAddressFactory(legal_entity=company.le1)

    client.post(reverse("portal:address_delete", args=[other.pk]))

    assert _defaults(company.le1) == [default]


def test_make_default_leaves_exactly_one_default(company, login):
    client = login(company.buyer)
    old = f.DeliveryAddressFactory(legal_entity=company.le1, is_default=True)
    new = f.DeliveryAddressFactory(legal_entity=company.le1)
    elsewhere = f.DeliveryAddressFactory(legal_entity=company.le2, is_default=True)

    response = client.post(reverse("portal:address_make_default", args=[new.pk]))

    assert response.status_code == 302
    assert _defaults(company.le1) == [new]
    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert not old.is_default
    assert elsewhere.is_default


def test_make_default_needs_post(company, login):
    client = login(company.buyer)
    address = f.DeliveryAddressFactory(legal_entity=company.le1)
    assert client.get(reverse("portal:address_make_default", args=[address.pk])).status_code == 405
    address.refresh_from_db()
    assert not address.is_default


@pytest.mark.parametrize("action", ["address_edit", "address_delete", "address_make_default"])
def test_address_of_other_legal_entity_of_same_company_is_not_found(company, login, action):
    # given the purchaser acts for le1 and an address of le2 of the same company
    client = login(company.buyer)
    foreign = f.DeliveryAddressFactory(legal_entity=company.le2, title="Регион")

    # when
    response = client.post(reverse(f"portal:{action}", args=[foreign.pk]), {"address": "Подмена", "title": "X"})

    # then
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.title, foreign.is_default) == ("Регион", False)


def test_admin_works_with_addresses_of_the_legal_entity_switched_to(company, login):
    client = login(company.admin)
    for le, text in ((company.le1, "г. Москва, ул. Главная, д. 1"), (company.le2, "г. Тверь, ул. Региональная, д. 1")):
        client.post(reverse("portal:switch"), {"legal_entity": le.pk})
        client.post(reverse("portal:address_create"), {"address": text})

    assert [a.address for a in _addresses(company.le1)] == ["г. Москва, ул. Главная, д. 1"]
    assert [a.address for a in _addresses(company.le2)] == ["г. Тверь, ул. Региональная, д. 1"]


def test_service_refuses_invalid_phone_with_field_error(company):
    with pytest.raises(ValidationError) as exc:
        services.address_create(legal_entity=company.le1, address="г. Москва", contact_phone="123")
    assert "contact_phone" in exc.value.error_dict
    assert _addresses(company.le1) == []


def test_service_delete_of_last_address_leaves_none(company):
    only = services.address_create(legal_entity=company.le1, address="г. Москва, д. 1")
    services.address_delete(delivery_address=only)
    assert _addresses(company.le1) == []

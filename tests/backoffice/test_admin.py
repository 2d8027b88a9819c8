import datetime as dt
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation

from optovik.accounts.models import User
from optovik.customers.demo import seed_customers
from optovik.customers.models import (
    Client,
    Contract,
    DeliveryAddress,
    Invitation,
    LegalEntity,
    SellerOrganization,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db):
    seed_customers(stdout=io.StringIO())  # the people and companies; the catalog and orders are not needed here
    Invitation.objects.create(
        client=Client.objects.get(name="Вектор"),
        email="new@vector.example",
        token="demo-token",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return type(
        "Demo",
        (),
        {
            "administrator": User.objects.get(email="staff@optovik.example"),
            "manager": User.objects.get(email="manager@optovik.example"),
            "stroymarket": Client.objects.get(name="СтройМаркет"),
            "vector": Client.objects.get(name="Вектор"),
            "vector_le": LegalEntity.objects.get(client__name="Вектор"),
            "vector_contract": Contract.objects.get(client__name="Вектор"),
            "vector_address": DeliveryAddress.objects.get(client__name="Вектор"),
        },
    )


def _url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_administrator_sees_every_client(demo, login):
    body = login(demo.administrator).get(_changelist(Client)).content.decode()
    for name in ("СтройМаркет", "Вектор", "ТрансШина"):
        assert name in body


def test_manager_sees_only_his_clients(demo, login):
    response = login(demo.manager).get(_changelist(Client))
    assert response.status_code == 200
    body = response.content.decode()
    assert "СтройМаркет" in body
    assert "ТрансШина" in body
    assert "Вектор" not in body
    assert list(response.context["cl"].queryset) == list(Client.objects.filter(manager=demo.manager))


@pytest.mark.parametrize("model", [LegalEntity, Contract, DeliveryAddress])
def test_manager_lists_show_no_row_of_another_managers_client(demo, login, model):
    response = login(demo.manager).get(_changelist(model))
    assert response.status_code == 200
    rows = list(response.context["cl"].queryset)
    assert rows
    assert all(row.client.manager_id == demo.manager.pk for row in rows)
    assert "Вектор" not in response.content.decode()


@pytest.mark.parametrize("which", ["vector", "vector_le", "vector_contract", "vector_address"])
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_manager_cannot_open_a_foreign_clients_pages(demo, login, which, view):
    obj = getattr(demo, which)
    response = login(demo.manager).get(_url(obj, view), follow=True)
    body = response.content.decode()
    assert response.redirect_chain or response.status_code in (403, 404)
    assert "Вектор" not in body
    if hasattr(obj, "inn"):
        assert obj.inn not in body


def test_manager_cannot_change_a_foreign_legal_entity_by_post(demo, login):
    le = demo.vector_le
    login(demo.manager).post(_url(le), {"client": le.client_id, "short_name": "hacked"})
    le.refresh_from_db()
    assert le.short_name == "ООО «Вектор»"


def test_manager_opens_his_clients_legal_entity(demo, login):
    le = LegalEntity.objects.filter(client=demo.stroymarket).first()
    response = login(demo.manager).get(_url(le))
    assert response.status_code == 200
    assert le.inn in response.content.decode()


def test_manager_cannot_attach_a_legal_entity_to_a_foreign_client(demo, login):
    response = login(demo.manager).post(
        reverse("admin:customers_legalentity_add"),
        {**_legal_entity_form(inn="7810629474"), "client": demo.vector.pk},
    )
    assert response.status_code == 200
    assert "client" in response.context["adminform"].form.errors
    assert not LegalEntity.objects.filter(short_name="ООО «Новый»").exists()


def test_manager_contract_form_offers_only_his_legal_entities(demo, login):
    response = login(demo.manager).get(reverse("admin:customers_contract_add"))
    choices = response.context["adminform"].form.fields["legal_entity"].queryset
    assert set(choices) == set(LegalEntity.objects.filter(client__manager=demo.manager))


def test_manager_autocomplete_returns_only_his_clients(demo, login):
    response = login(demo.manager).get(
        reverse("admin:autocomplete"),
        {"app_label": "customers", "model_name": "legalentity", "field_name": "client", "term": ""},
    )
    assert response.status_code == 200
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"СтройМаркет", "ТрансШина"}


def test_manager_cannot_reassign_the_personal_manager(demo, login):
    other = User.objects.get(email="manager2@optovik.example")
    login(demo.manager).post(
        _url(demo.stroymarket),
        {"name": "СтройМаркет", "manager": other.pk, "is_active": "on", **_empty_inlines()},
    )
    demo.stroymarket.refresh_from_db()
    assert demo.stroymarket.manager == demo.manager


def test_administrator_assigns_the_personal_manager(demo, login):
    other = User.objects.get(email="manager2@optovik.example")
    response = login(demo.administrator).post(
        _url(demo.stroymarket),
        {"name": "СтройМаркет", "manager": other.pk, "is_active": "on", **_empty_inlines()},
    )
    assert response.status_code == 302
    demo.stroymarket.refresh_from_db()
    assert demo.stroymarket.manager == other


def test_manager_cannot_open_seller_organizations(demo, login):
    seller = SellerOrganization.objects.first()
    client = login(demo.manager)
    assert client.get(_changelist(SellerOrganization)).status_code == 403
    assert client.get(_url(seller)).status_code in (302, 403, 404)
    assert client.get(reverse("admin:customers_sellerorganization_add")).status_code == 403
    client.post(_url(seller), {"short_name": "hacked"})
    seller.refresh_from_db()
    assert seller.short_name != "hacked"


def test_manager_cannot_open_staff_users(demo, login):
    client = login(demo.manager)
    staff = User.objects.get(email="staff@optovik.example")
    response = client.get(_url(staff), follow=True)
    assert staff.email not in response.content.decode()
    users = client.get(_changelist(User)).context["cl"].queryset
    assert not any(u.is_staff for u in users)
    assert {u.email for u in users} == {
        "admin@stroymarket.example",
        "buyer@stroymarket.example",
        "accountant@stroymarket.example",
    }
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_manager_edit_of_a_customer_user_has_no_staff_fields(demo, login):
    buyer = User.objects.get(email="buyer@stroymarket.example")
    response = login(demo.manager).get(_url(buyer))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert "is_staff" not in fields and "is_superuser" not in fields and "staff_role" not in fields


def test_customer_user_cannot_reach_the_admin(demo, login):
    response = login(User.objects.get(email="admin@stroymarket.example")).get(_changelist(Client))
    assert response.status_code == 302
    assert "/login/" in response.url


@pytest.mark.parametrize(
    "model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_every_admin_page_renders_for_the_administrator(demo, login, model):
    client = login(demo.administrator)
    assert client.get(_changelist(model)).status_code == 200
    assert client.get(_changelist(model), {"q": "Стр"}).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(_url(obj)).status_code == 200
    model_admin = admin.site._registry[model]
    request = client.get("/admin/").wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code == 200


@pytest.mark.parametrize(
    "model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_every_admin_page_answers_a_manager_without_error(demo, login, model):
    client = login(demo.manager)
    response = client.get(_changelist(model))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        rows = list(response.context["cl"].queryset)
        for row in rows[:1]:
            assert client.get(_url(row)).status_code == 200
        if model is Invitation:
            assert rows == []  # the only invitation is Вектор's


def test_admin_index_has_the_back_office_title(demo, login):
    body = login(demo.manager).get("/admin/").content.decode()
    assert "Optovik — back office" in body


def _empty_inlines() -> dict:
    data = {}
    for prefix in ("legal_entities", "memberships"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def _legal_entity_form(*, inn: str) -> dict:
    data = {
        "legal_form": "ООО",
        "short_name": "ООО «Новый»",
        "full_name": "Общество с ограниченной ответственностью «Новый»",
        "inn": inn,
        "kpp": "772401001",
        "ogrn": "1167746483720",
        "legal_address": "г. Москва, ул. Новая, д. 1",
        "is_active": "on",
    }
    for prefix in ("bank_accounts", "delivery_addresses", "contracts"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_invalid_inn_in_the_legal_entity_form_shows_an_error_and_saves_nothing(demo, login):
    count = LegalEntity.objects.count()
    response = login(demo.administrator).post(
        reverse("admin:customers_legalentity_add"),
        {**_legal_entity_form(inn="7724567181"), "client": demo.stroymarket.pk},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "inn" in errors
    assert "wrong check digit" in errors["inn"][0]
    assert "wrong check digit" in response.content.decode()
    assert LegalEntity.objects.count() == count


def test_invalid_bank_account_in_the_inline_shows_an_error_and_saves_nothing(demo, login):
    le = LegalEntity.objects.get(external_id="demo-le-stroymarket")
    data = _legal_entity_form(inn=le.inn)
    data.update(
        {
            "client": le.client_id,
            "short_name": le.short_name,
            "kpp": le.kpp,
            "ogrn": le.ogrn,
            "bank_accounts-TOTAL_FORMS": "1",
            "bank_accounts-0-bank_name": "ПАО Сбербанк",
            "bank_accounts-0-bik": "044525225",
            "bank_accounts-0-correspondent_account": "30101810400000000225",
            "bank_accounts-0-settlement_account": "40702810000000000001",
        }
    )
    accounts = le.bank_accounts.count()
    response = login(demo.administrator).post(_url(le), data)
    assert response.status_code == 200
    assert "control key" in response.content.decode()
    assert le.bank_accounts.count() == accounts
    le.refresh_from_db()
    assert le.short_name == "ООО «СтройМаркет»"

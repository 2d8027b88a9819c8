"""Writes through the back office: users by e-mail, new clients, memberships, read-only pages."""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from optovik.accounts.models import LoginAttempt, User
from optovik.customers.demo import seed_customers
from optovik.customers.models import Client, LegalEntity, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db):
    seed_customers(stdout=io.StringIO())  # the people and companies; the catalog and orders are not needed here


@pytest.fixture
def administrator(demo):
    return User.objects.get(email="staff@optovik.example")


@pytest.fixture
def manager(demo):
    return User.objects.get(email="manager@optovik.example")


def _add_user(client, email):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": email,
            "usable_password": "true",
            "password1": "Skl4d-Optovik-2026",
            "password2": "Skl4d-Optovik-2026",
            "last_name": "Зайцев",
            "first_name": "Олег",
            "phone": "8 (916) 555-12-34",
        },
    )


def test_administrator_adds_a_user_by_e_mail(administrator, login):
    response = _add_user(login(administrator), "Zaitsev@StroyMarket.example")
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="zaitsev@stroymarket.example")
    assert user.check_password("Skl4d-Optovik-2026")
    assert user.phone == "+79165551234"
    assert not user.is_staff


def test_a_second_user_with_the_same_e_mail_is_refused(administrator, login):
    response = _add_user(login(administrator), "BUYER@stroymarket.example")
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="buyer@stroymarket.example").count() == 1


def test_manager_cannot_make_a_customer_user_staff(manager, login):
    buyer = User.objects.get(email="buyer@stroymarket.example")
    login(manager).post(
        reverse("admin:accounts_user_change", args=[buyer.pk]),
        {
            "email": buyer.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "staff_role": "administrator",
        },
    )
    buyer.refresh_from_db()
    assert not buyer.is_staff and not buyer.is_superuser and buyer.staff_role == ""


def test_manager_blocks_a_customer_user_of_his_client(manager, login):
    buyer = User.objects.get(email="buyer@stroymarket.example")
    response = login(manager).post(
        reverse("admin:accounts_user_change", args=[buyer.pk]),
        {"email": buyer.email, "last_name": buyer.last_name, "first_name": buyer.first_name, "phone": buyer.phone},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    buyer.refresh_from_db()
    assert not buyer.is_active


def test_a_client_added_by_a_manager_is_assigned_to_him(manager, login):
    response = login(manager).post(
        reverse("admin:customers_client_add"),
        {
            "name": "Кровля-Центр",
            "is_active": "on",
            **{f"{p}-{k}": v for p in ("legal_entities", "memberships") for k, v in _EMPTY_FORMSET.items()},
        },
    )
    assert response.status_code == 302
    assert Client.objects.get(name="Кровля-Центр").manager == manager


_EMPTY_FORMSET = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_membership_cannot_be_limited_to_another_clients_legal_entity(administrator, login):
    stroymarket = Client.objects.get(name="СтройМаркет")
    vector_le = LegalEntity.objects.get(client__name="Вектор")
    membership = Membership.objects.get(user__email="admin@stroymarket.example")
    response = login(administrator).post(
        reverse("admin:customers_membership_change", args=[membership.pk]),
        {
            "user": membership.user_id,
            "client": stroymarket.pk,
            "role": "admin",
            "legal_entities": [vector_le.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "belong to another client" in response.context["adminform"].form.errors["legal_entities"][0]
    assert membership.legal_entities.count() == 0


def test_failed_sign_ins_are_read_only(administrator, login):
    attempt = LoginAttempt.objects.create(email="someone@example.com", ip_address="10.0.0.1")
    client = login(administrator)
    assert client.get(reverse("admin:accounts_loginattempt_add")).status_code == 403
    client.post(reverse("admin:accounts_loginattempt_change", args=[attempt.pk]), {"email": "changed@example.com"})
    attempt.refresh_from_db()
    assert attempt.email == "someone@example.com"


def test_manager_cannot_see_failed_sign_ins(manager, login):
    assert login(manager).get(reverse("admin:accounts_loginattempt_changelist")).status_code == 403


def test_admin_pages_allow_the_theme_scripts_and_portal_pages_stay_strict(administrator, login):
    client = login(administrator)
    admin_policy = client.get("/admin/").headers["Content-Security-Policy"]
    assert "'unsafe-eval'" in admin_policy
    assert "frame-ancestors 'self'" in admin_policy
    assert "'unsafe-eval'" in client.get("/admin/login/").headers["Content-Security-Policy"]
    portal_policy = client.get("/login/").headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in portal_policy
    assert "'unsafe-inline'" not in portal_policy

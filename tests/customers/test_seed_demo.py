import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client as HttpClient

from optovik.accounts.models import User
from optovik.customers.demo import DEMO_PASSWORD, seed_customers
from optovik.customers.models import Client, LegalEntity, Membership, SellerOrganization

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = (
    "admin@stroymarket.example",
    "buyer@stroymarket.example",
    "accountant@stroymarket.example",
    "buyer@vector.example",
    "manager@optovik.example",
    "staff@optovik.example",
)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("accounts", "customers")
        for model in apps.get_app_config(app).get_models()
    }


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    seed_customers(stdout=io.StringIO())  # what these tests look at; the whole command is tested below


def test_seeding_twice_creates_nothing_new_and_changes_nothing(db):
    first = _seed()
    counts = _row_counts()
    stamps = {u.email: u.password for u in User.objects.all()}
    updated = list(LegalEntity.objects.values_list("pk", "updated_at"))

    second = _seed()

    assert _row_counts() == counts
    assert {u.email: u.password for u in User.objects.all()} == stamps
    assert list(LegalEntity.objects.values_list("pk", "updated_at")) == updated
    assert "created" in first
    assert " 0 created, 0 updated" in second
    assert counts["customers.Client"] == 3
    assert counts["customers.SellerOrganization"] == 2


def test_if_empty_does_nothing_once_the_demo_supplier_exists(seeded):
    Client.objects.filter(name="Вектор").update(comment="changed by staff")
    out = _seed("--if-empty")
    assert "nothing to do" in out
    assert Client.objects.get(name="Вектор").comment == "changed by staff"


def test_if_empty_seeds_an_empty_database(db):
    _seed("--if-empty")
    assert SellerOrganization.objects.count() == 2


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_every_demo_account_signs_in_through_the_login_page(seeded, email):
    browser = HttpClient()
    response = browser.post("/login/", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert browser.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


def test_staff_accounts_have_their_roles(seeded):
    staff = User.objects.get(email="staff@optovik.example")
    manager = User.objects.get(email="manager@optovik.example")
    assert staff.is_supplier_admin and staff.is_superuser
    assert manager.is_supplier_manager and not manager.is_supplier_admin
    assert not User.objects.get(email="buyer@vector.example").is_staff


def test_demo_requisites_pass_full_clean(seeded):
    organizations = [*LegalEntity.objects.all(), *SellerOrganization.objects.all()]
    assert len(organizations) == 6
    for organization in organizations:
        organization.full_clean()
    for legal_entity in LegalEntity.objects.all():
        for account in legal_entity.bank_accounts.all():
            account.full_clean()
        assert legal_entity.delivery_addresses.filter(is_default=True).count() == 1


def test_stroymarket_buyer_is_limited_to_one_legal_entity(seeded):
    membership = Membership.objects.get(user__email="buyer@stroymarket.example")
    assert membership.client.name == "СтройМаркет"
    assert membership.legal_entities.count() == 1
    assert membership.client.legal_entities.count() == 2
    assert Membership.objects.get(user__email="admin@stroymarket.example").legal_entities.count() == 0


def test_manager_is_stroymarket_personal_manager(seeded):
    manager = User.objects.get(email="manager@optovik.example")
    assert Client.objects.get(name="СтройМаркет").manager == manager
    assert Client.objects.get(name="Вектор").manager != manager
    assert Client.objects.get(name="Вектор").manager.is_supplier_manager


def test_stroymarket_has_three_contracts_with_different_terms(seeded):
    contracts = Client.objects.get(name="СтройМаркет").contracts.all()
    assert len(contracts) == 3
    assert {c.payment_terms for c in contracts} == {"prepayment", "deferral"}
    assert len({c.seller_id for c in contracts}) == 2
    assert any(c.credit_limit == 1_500_000 and c.deferral_days == 30 for c in contracts)

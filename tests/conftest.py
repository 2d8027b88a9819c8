import pytest
from django_scopes import scopes_disabled

from . import factories as f


@pytest.fixture(autouse=True)
def _unscoped():
    """Test bodies build data freely; requests through the test client still run in the scope
    the tenancy middleware sets."""
    with scopes_disabled():
        yield


@pytest.fixture
def company(db):
    """A client with two legal entities, a contract each, and an admin, a purchaser limited to the
    first legal entity, and an accountant."""
    client = f.ClientFactory(name="СтройМаркет", manager=f.StaffFactory(email="manager@example.com"))
    le1 = f.LegalEntityFactory(client=client, short_name="ООО «СтройМаркет»")
    le2 = f.LegalEntityFactory(client=client, short_name="ООО «СтройМаркет Регион»")
    f.BankAccountFactory(legal_entity=le1)
    c1 = f.ContractFactory(legal_entity=le1)
    c2 = f.ContractFactory(legal_entity=le2, payment_terms="deferral", deferral_days=30, credit_limit=500000)
    admin = f.MembershipFactory(client=client, role="admin", user__email="admin@example.com").user
    buyer_m = f.MembershipFactory(client=client, role="purchaser", user__email="buyer@example.com")
    buyer_m.legal_entities.set([le1])
    accountant = f.MembershipFactory(client=client, role="accountant", user__email="accountant@example.com").user
    return type(
        "Company",
        (),
        {
            "client": client,
            "le1": le1,
            "le2": le2,
            "c1": c1,
            "c2": c2,
            "admin": admin,
            "buyer": buyer_m.user,
            "accountant": accountant,
        },
    )


@pytest.fixture
def other_company(db):
    client = f.ClientFactory(name="Вектор")
    le = f.LegalEntityFactory(client=client, short_name="ООО «Вектор»")
    contract = f.ContractFactory(legal_entity=le)
    buyer = f.MembershipFactory(client=client, role="purchaser", user__email="buyer@vector.example").user
    address = f.DeliveryAddressFactory(legal_entity=le)
    return type("Other", (), {"client": client, "le": le, "contract": contract, "buyer": buyer, "address": address})


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="optovik.accounts.backends.EmailBackend")
        return client

    return _login

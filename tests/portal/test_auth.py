import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from optovik.core.tenancy import SESSION_LEGAL_ENTITY
from tests import factories as f
from tests.factories import PASSWORD


def _sign_in(client, email, password=PASSWORD):
    return client.post(reverse("portal:login"), {"email": email, "password": password})


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# Signing in


def test_sign_in_by_email_is_case_insensitive(client, company):
    response = _sign_in(client, "  Buyer@EXAMPLE.com ")

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    assert client.session[SESSION_KEY] == str(company.buyer.pk)


def test_wrong_password_is_refused(client, company):
    response = _sign_in(client, "buyer@example.com", "not-the-password")

    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_too_many_failures_block_even_the_right_password(client, company, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert _sign_in(client, "buyer@example.com", "guess").status_code == 200

    response = _sign_in(client, "buyer@example.com")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_failures_below_the_limit_do_not_block(client, company, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _sign_in(client, "buyer@example.com", "guess")
    assert _sign_in(client, "buyer@example.com").status_code == 302


def test_sign_in_gives_a_new_session_key(client, company):
    before = client.session
    before["probe"] = 1
    before.save()
    client.cookies["sessionid"] = before.session_key

    _sign_in(client, "buyer@example.com")

    assert client.session.session_key != before.session_key
    assert client.session[SESSION_KEY] == str(company.buyer.pk)


def test_blocked_user_cannot_sign_in(client, company):
    company.buyer.is_active = False
    company.buyer.save()

    response = _sign_in(client, "buyer@example.com")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_blocking_a_user_ends_their_open_session(company, login):
    client = login(company.buyer)
    assert client.get(reverse("portal:dashboard")).status_code == 200

    company.buyer.is_active = False
    company.buyer.save()
    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_blocked_clients_user_is_signed_out_with_a_message(company, login):
    client = login(company.buyer)
    company.client.is_active = False
    company.client.save()

    response = client.get(reverse("portal:dashboard"), follow=True)

    assert response.redirect_chain[0][0] == reverse("portal:login")
    assert any("suspended" in m for m in _messages(response))
    assert SESSION_KEY not in client.session


def test_user_without_company_sees_not_linked_page(login, db):
    client = login(f.UserFactory(email="lonely@example.com"))

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "not linked to a company" in body
    assert "lonely@example.com" in body


def test_sign_out(company, login):
    client = login(company.buyer)
    client.post(reverse("portal:logout"))
    assert SESSION_KEY not in client.session
    assert client.get(reverse("portal:dashboard")).status_code == 302


# Passwords


def test_password_reset_mail_link_sets_a_new_password(client, company, django_capture_on_commit_callbacks):
    # when the purchaser asks for a reset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:password_reset"), {"email": "buyer@example.com"})
    assert response.status_code == 302

    # then a letter with a link arrives
    [message] = mail.outbox
    assert message.to == ["buyer@example.com"]
    path = re.search(r"https?://[^/\s]+(/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)

    # and the link lets them set a new password
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Brand-new-pa55", "new_password2": "Brand-new-pa55"})
    assert done.status_code == 302
    company.buyer.refresh_from_db()
    assert company.buyer.check_password("Brand-new-pa55")
    # the link works once
    again = client.post(set_url, {"new_password1": "Other-pa55word1", "new_password2": "Other-pa55word1"})
    assert again.status_code == 200
    company.buyer.refresh_from_db()
    assert company.buyer.check_password("Brand-new-pa55")


def test_password_reset_for_unknown_email_sends_nothing(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_keeps_the_session(company, login):
    client = login(company.buyer)

    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand-new-pa55", "new_password2": "Brand-new-pa55"},
    )

    assert response.status_code == 302
    company.buyer.refresh_from_db()
    assert company.buyer.check_password("Brand-new-pa55")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(company, login):
    client = login(company.buyer)

    response = client.post(
        reverse("portal:password_change"),
        {"old_password": "wrong", "new_password1": "Brand-new-pa55", "new_password2": "Brand-new-pa55"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    company.buyer.refresh_from_db()
    assert company.buyer.check_password(PASSWORD)


# Profile


def test_profile_with_invalid_phone_shows_error_and_saves_nothing(company, login):
    client = login(company.buyer)
    before = (company.buyer.first_name, company.buyer.phone)

    response = client.post(reverse("portal:profile"), {"first_name": "Новое", "phone": "12-34"})

    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'aria-invalid="true"' in response.content.decode()
    company.buyer.refresh_from_db()
    assert (company.buyer.first_name, company.buyer.phone) == before


def test_profile_saves_normalised_phone(company, login):
    client = login(company.buyer)
    client.post(reverse("portal:profile"), {"first_name": "Иван", "phone": "8 916 123 45 67"})
    company.buyer.refresh_from_db()
    assert (company.buyer.first_name, company.buyer.phone) == ("Иван", "+79161234567")


# Switching legal entity and contract


def test_purchaser_limited_to_first_legal_entity_cannot_switch_to_second(company, login):
    client = login(company.buyer)
    client.get(reverse("portal:dashboard"))
    before = dict(client.session.items())

    response = client.post(reverse("portal:switch"), {"legal_entity": company.le2.pk}, follow=True)

    assert any("cannot act for" in m for m in _messages(response))
    assert dict(client.session.items()) == before
    assert response.context["tenant"].legal_entity == company.le1


def test_purchaser_cannot_switch_to_contract_of_other_legal_entity(company, login):
    client = login(company.buyer)

    response = client.post(reverse("portal:switch"), {"contract": company.c2.pk}, follow=True)

    assert any("cannot act for" in m for m in _messages(response))
    assert response.context["tenant"].contract == company.c1


def test_admin_switches_legal_entity_and_gets_its_contract(company, login):
    client = login(company.admin)

    for le, contract in ((company.le1, company.c1), (company.le2, company.c2), (company.le1, company.c1)):
        response = client.post(reverse("portal:switch"), {"legal_entity": le.pk}, follow=True)
        assert client.session[SESSION_LEGAL_ENTITY] == le.pk
        assert response.context["tenant"].legal_entity == le
        assert response.context["tenant"].contract == contract

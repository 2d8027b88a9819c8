import re

import pytest
from playwright.sync_api import expect

from optovik.customers import services
from optovik.customers.models import DeliveryAddress, Invitation, Role
from tests.e2e.helpers import assert_fits_screen, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_email_and_password(live_server, page, company, screenshot):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    screenshot(page, "login")

    sign_in(page, live_server, "buyer@example.com")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".tenant-bar")).to_contain_text("СтройМаркет")
    screenshot(page, "dashboard")


def test_admin_switches_legal_entity_in_the_header(live_server, page, company, screenshot):
    sign_in(page, live_server, "admin@example.com")
    switcher = page.locator("#switch-legal-entity")

    for le, contract in ((company.le1, company.c1), (company.le2, company.c2)):
        switcher.select_option(str(le.pk))  # the form submits itself on change
        expect(switcher).to_have_value(str(le.pk))
        expect(page.locator("main")).to_contain_text(le.short_name)
        expect(page.locator("#switch-contract")).to_have_value(str(contract.pk))
    screenshot(page, "switched")


def test_add_delivery_address(live_server, page, company, screenshot):
    sign_in(page, live_server, "buyer@example.com")
    page.get_by_role("button", name="Company").click()
    page.get_by_role("link", name="Delivery addresses").click()
    screenshot(page, "addresses-empty")
    page.get_by_role("link", name="Add the first address").click()

    page.get_by_label("Title").fill("Главный склад")
    page.locator("#id_address").fill("г. Москва, ул. Складская, д. 7")
    page.get_by_label("Contact phone").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#contact_phone-error")).to_be_visible()
    screenshot(page, "address-form-error")
    page.get_by_label("Contact phone").fill("8 916 123-45-67")
    page.get_by_role("button", name="Save").click()

    row = page.locator("tbody tr").filter(has_text="Главный склад")
    expect(row).to_contain_text("г. Москва, ул. Складская, д. 7")
    expect(row).to_contain_text("default")
    expect(page.get_by_role("alert")).to_contain_text("Delivery address added")
    screenshot(page, "addresses")
    assert DeliveryAddress.objects.get(legal_entity=company.le1).contact_phone == "+79161234567"


def test_account_pages_fit_a_phone(live_server, page, company, screenshot):
    for le in (company.le1, company.le2):
        DeliveryAddress.objects.create(
            legal_entity=le,
            title="Склад на окраине с длинным названием",
            address="Московская обл., г. Химки, мкр. Сходня, ул. Первомайская, д. 58, корп. 2, стр. 1",
            contact_name="Иванов Иван Иванович",
            contact_phone="+79161234567",
            comment="Въезд со стороны ул. Маяковского, позвонить за час",
            is_default=True,
        )
    services.invitation_create(
        client=company.client, email="a.very.long.address.of.someone@subdivision.example.org", role=Role.ACCOUNTANT
    )
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, "admin@example.com")

    for name, path in (("addresses-phone", "/account/addresses/"), ("users-phone", "/account/users/")):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main tbody tr").first).to_be_visible()
        assert_fits_screen(page)
        screenshot(page, name)


def test_invite_user_shows_pending_invitation(live_server, page, company, screenshot):
    sign_in(page, live_server, "admin@example.com")
    page.get_by_role("button", name="Company").click()
    page.get_by_role("link", name="Users").click()
    screenshot(page, "users")
    page.get_by_role("link", name="Invite user").click()

    page.get_by_label("E-mail").fill("new.buyer@example.org")
    page.get_by_label("Role").select_option("purchaser")
    page.get_by_label(company.le1.short_name, exact=False).check()
    screenshot(page, "invite-form")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("alert")).to_contain_text("Invitation sent to new.buyer@example.org")
    pending = page.locator("#invitations tbody tr")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("new.buyer@example.org")
    expect(pending).to_contain_text(company.le1.short_name)
    screenshot(page, "users-invited")
    assert Invitation.objects.get().email == "new.buyer@example.org"


def test_invitee_accepts_and_lands_on_dashboard(live_server, page, company, screenshot):
    invitation, _ = services.invitation_create(
        client=company.client, email="invitee@example.org", role=Role.PURCHASER, legal_entities=[company.le2]
    )
    page.goto(f"{live_server.url}/invite/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("СтройМаркет")

    page.get_by_label("Last name").fill("Петрова")
    page.get_by_label("First name").fill("Анна")
    page.locator("#id_password1").fill("Pl3nty-of-entropy")
    page.locator("#id_password2").fill("Pl3nty-of-entropy")
    screenshot(page, "invitation-accept")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("alert")).to_contain_text("Welcome!")
    expect(page.locator("#switch-legal-entity")).to_have_value(str(company.le2.pk))
    screenshot(page, "invitation-accepted")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/invite/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("not valid")
    screenshot(page, "invitation-used")

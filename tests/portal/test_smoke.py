from django.contrib.staticfiles import finders
from django.test import Client


def test_company_admin_sees_dashboard_with_contract_and_manager(company, login):
    client = login(company.admin)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "СтройМаркет" in body
    assert company.c1.number in body or company.c2.number in body
    assert "manager@example.com" in body


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_pages_link_the_icon_and_favicon_ico_leads_to_it(company, login, settings):
    body = login(company.admin).get("/").content.decode()
    assert f'<link rel="icon" href="{settings.STATIC_URL}optovik/favicon.svg"' in body
    assert finders.find("optovik/favicon.svg")
    # Browsers ask for /favicon.ico on pages without the link (the admin, error pages): no 404 there.
    response = Client().get("/favicon.ico")  # anonymous too: the login page asks for it
    assert response.status_code == 301
    assert response.url == f"{settings.STATIC_URL}optovik/favicon.svg"

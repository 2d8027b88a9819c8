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

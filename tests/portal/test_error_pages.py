def test_not_found_page_is_the_portals_own_and_says_why(company, login):
    response = login(company.buyer).get("/product/NO-SUCH-ARTICLE/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Optovik" in body and 'href="/"' in body


def test_forbidden_page_explains_the_role_limit(company, login):
    response = login(company.accountant).get("/account/users/")
    assert response.status_code == 403
    assert "Optovik" in response.content.decode()

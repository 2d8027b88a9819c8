import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from optovik.core.errors import ApplicationError
from optovik.customers import services
from optovik.customers.models import Invitation, Membership, Role
from tests import factories as f

User = get_user_model()


def _membership(user):
    return Membership.objects.get(user=user)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _invite(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("portal:invitation_create"), {"role": "purchaser", **data}, follow=True)


def _link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invite/[^/\s]+/)", message.body).group(1)


# The list


def test_admin_sees_members_with_role_limit_and_status(company, login):
    client = login(company.admin)
    Membership.objects.filter(user=company.accountant).update(is_active=False)

    response = client.get(reverse("portal:users"))

    body = response.content.decode()
    assert response.status_code == 200
    for user in (company.admin, company.buyer, company.accountant):
        assert user.email in body
    assert "purchaser" in body
    assert company.le1.short_name in body  # the purchaser's limit
    assert "deactivated" in body


def test_users_page_query_count_does_not_grow_with_members(company, login, django_assert_max_num_queries):
    client = login(company.admin)

    def add(n):
        for i in range(n):
            f.MembershipFactory(client=company.client).legal_entities.set([company.le2])
            services.invitation_create(
                client=company.client, email=f"x{i}-{n}@new.example", role=Role.PURCHASER, legal_entities=[company.le1]
            )

    add(1)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("portal:users"))
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:users"))
    assert response.content.decode().count('id="member-') == 14
    assert response.content.decode().count('id="invitation-') == 11


# Inviting


def test_invite_creates_invitation_and_emails_the_link(company, login, django_capture_on_commit_callbacks, settings):
    client = login(company.admin)

    response = _invite(
        client, django_capture_on_commit_callbacks, email="New.Person@Example.com", legal_entities=[company.le2.pk]
    )

    invitation = Invitation.objects.get(client=company.client)
    assert invitation.email == "new.person@example.com"
    assert invitation.role == Role.PURCHASER
    assert list(invitation.legal_entities.all()) == [company.le2]
    assert invitation.invited_by == company.admin
    assert len(invitation.token) >= 40
    expected = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
    # the pending invitation shows on the list
    assert response.redirect_chain[-1][0] == reverse("portal:users")
    assert "new.person@example.com" in response.content.decode()
    # and the link arrived
    [message] = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert "СтройМаркет" in message.subject
    assert _link_path(message) == reverse("portal:invitation_accept", args=[invitation.token])


def test_inviting_existing_user_is_refused_and_nothing_saved(
    company, other_company, login, django_capture_on_commit_callbacks
):
    client = login(company.admin)

    response = _invite(client, django_capture_on_commit_callbacks, email="BUYER@vector.example")

    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["email"])
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_again_resends_instead_of_duplicating(company, login, django_capture_on_commit_callbacks):
    client = login(company.admin)
    _invite(client, django_capture_on_commit_callbacks, email="new@example.org")

    response = _invite(client, django_capture_on_commit_callbacks, email="new@example.org", role="accountant")

    invitation = Invitation.objects.get()
    assert invitation.role == Role.ACCOUNTANT
    assert len(mail.outbox) == 2
    assert _link_path(mail.outbox[1]) == reverse("portal:invitation_accept", args=[invitation.token])
    assert any("sent again" in m for m in _messages(response))


def test_invitation_limit_must_be_own_legal_entity(company, other_company, login, django_capture_on_commit_callbacks):
    client = login(company.admin)

    response = _invite(
        client, django_capture_on_commit_callbacks, email="new@example.org", legal_entities=[other_company.le.pk]
    )

    assert response.context["form"].errors["legal_entities"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_form_offers_only_own_legal_entities(company, other_company, login):
    body = login(company.admin).get(reverse("portal:invitation_create")).content.decode()
    assert f'value="{company.le2.pk}"' in body
    assert "Вектор" not in body


def test_revoke_invitation(company, login):
    client = login(company.admin)
    invitation, _ = services.invitation_create(client=company.client, email="new@example.org", role=Role.PURCHASER)

    response = client.post(reverse("portal:invitation_revoke", args=[invitation.pk]), follow=True)

    invitation.refresh_from_db()
    assert invitation.revoked
    assert "new@example.org" not in response.content.decode().split('id="invitations-title"')[1]
    assert client.get(reverse("portal:invitation_accept", args=[invitation.token])).status_code == 410


# Accepting


@pytest.fixture
def invitation(company):
    inv, _ = services.invitation_create(
        client=company.client,
        email="invitee@example.org",
        role=Role.ACCOUNTANT,
        legal_entities=[company.le2],
        invited_by=company.admin,
    )
    return inv


def _accept(client, token, **overrides):
    data = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "password1": "Pl3nty-of-entropy",
        "password2": "Pl3nty-of-entropy",
        **overrides,
    }
    return client.post(reverse("portal:invitation_accept", args=[token]), data)


def test_invitation_page_shows_company_without_login(client, invitation):
    response = client.get(reverse("portal:invitation_accept", args=[invitation.token]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "СтройМаркет" in body
    assert "invitee@example.org" in body


def test_accepting_creates_user_and_membership_and_signs_in(client, company, invitation):
    response = _accept(client, invitation.token)

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    user = User.objects.get(email="invitee@example.org")
    assert (user.first_name, user.last_name) == ("Анна", "Петрова")
    assert user.check_password("Pl3nty-of-entropy")
    membership = _membership(user)
    assert (membership.client, membership.role, membership.is_active) == (company.client, Role.ACCOUNTANT, True)
    assert list(membership.legal_entities.all()) == [company.le2]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # signed in as the new member, acting for the legal entity they were limited to
    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["tenant"].legal_entities == [company.le2]


def test_used_invitation_cannot_be_accepted_twice(client, invitation):
    _accept(client, invitation.token)
    client.logout()

    response = _accept(client, invitation.token, first_name="Другой")

    assert response.status_code == 410
    assert User.objects.filter(email="invitee@example.org").count() == 1
    assert User.objects.get(email="invitee@example.org").first_name == "Анна"


def test_weak_password_is_refused_and_nothing_created(client, invitation):
    response = _accept(client, invitation.token, password1="12345678", password2="12345678")

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="invitee@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_mismatched_passwords_are_refused(client, invitation):
    response = _accept(client, invitation.token, password2="Other-pa55word")
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_expired_invitation_shows_friendly_page(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(reverse("portal:invitation_accept", args=[invitation.token]))
    posted = _accept(client, invitation.token)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert posted.status_code == 410
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_unknown_token_is_not_found(client, db):
    response = client.get(reverse("portal:invitation_accept", args=["no-such-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_accepting_when_email_registered_meanwhile_is_refused(client, invitation):
    f.UserFactory(email="invitee@example.org")

    response = _accept(client, invitation.token)

    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].non_field_errors())
    assert not Membership.objects.filter(user__email="invitee@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# Editing members


def test_admin_changes_role_and_limit(company, login):
    client = login(company.admin)
    membership = _membership(company.buyer)

    response = client.post(
        reverse("portal:user_edit", args=[membership.pk]), {"role": "accountant", "legal_entities": [company.le2.pk]}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ACCOUNTANT
    assert list(membership.legal_entities.all()) == [company.le2]


def test_clearing_the_limit_allows_every_legal_entity(company, login):
    client = login(company.admin)
    membership = _membership(company.buyer)

    client.post(reverse("portal:user_edit", args=[membership.pk]), {"role": "purchaser"})

    assert list(membership.legal_entities.all()) == []


def test_admin_cannot_demote_themselves(company, login):
    client = login(company.admin)
    own = _membership(company.admin)

    response = client.post(reverse("portal:user_edit", args=[own.pk]), {"role": "purchaser"})

    assert response.status_code == 200
    assert "your own role" in str(response.context["form"].non_field_errors())
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_admin_cannot_deactivate_themselves(company, login):
    client = login(company.admin)
    own = _membership(company.admin)

    response = client.post(reverse("portal:user_deactivate", args=[own.pk]), follow=True)

    assert any("cannot deactivate yourself" in m for m in _messages(response))
    own.refresh_from_db()
    assert own.is_active


def test_last_active_admin_cannot_be_removed(company):
    admin = _membership(company.admin)

    with pytest.raises(ApplicationError, match="last active admin"):
        services.membership_set_active(membership=admin, active=False, actor=None)
    with pytest.raises(ApplicationError, match="last active admin"):
        services.membership_update(membership=admin, role=Role.PURCHASER, actor=None)

    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_another_admin_can_be_demoted_while_one_remains(company, login):
    second = f.MembershipFactory(client=company.client, role=Role.ADMIN)
    client = login(company.admin)

    client.post(reverse("portal:user_edit", args=[second.pk]), {"role": "purchaser"})

    second.refresh_from_db()
    assert second.role == Role.PURCHASER


def test_deactivated_member_loses_access_at_once(company, login, client):
    # given the purchaser is signed in
    buyer_client = login(company.buyer)
    assert buyer_client.get(reverse("portal:dashboard")).status_code == 200
    buyer_session = buyer_client.cookies["sessionid"].value
    membership = _membership(company.buyer)

    # when the admin deactivates them (in another browser)
    services.membership_set_active(membership=membership, active=False, actor=company.admin)

    # then the purchaser's open session shows the not-linked page, nothing of the company
    buyer_client.cookies["sessionid"] = buyer_session
    response = buyer_client.get(reverse("portal:dashboard"))
    assert response.status_code == 403
    assert "not linked" in response.content.decode()
    assert buyer_client.get(reverse("portal:addresses")).status_code == 403


def test_deactivate_and_reactivate_through_the_page(company, login):
    client = login(company.admin)
    membership = _membership(company.buyer)

    client.post(reverse("portal:user_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active

    client.post(reverse("portal:user_reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


def test_deactivate_needs_post(company, login):
    client = login(company.admin)
    membership = _membership(company.buyer)
    assert client.get(reverse("portal:user_deactivate", args=[membership.pk])).status_code == 405
    membership.refresh_from_db()
    assert membership.is_active

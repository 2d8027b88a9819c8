"""Who hears about an order's status change, preferences, SMS providers and cart reminders."""

import datetime as dt
import http.server
import threading
import urllib.parse
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from optovik.notifications.models import NotificationPreference, SmsMessage
from optovik.notifications.sms import HttpSmsProvider, SmsError, sms_provider
from optovik.ordering.models import Cart, CartLine, OrderStatus
from optovik.ordering.services.events import order_event_record
from optovik.ordering.services.reminders import cart_reminders_send
from optovik.ordering.services.status import order_status_change
from optovik.ordering.tasks import cart_reminders_task

from . import lifecycle as lc


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, as the assertions read them."""
    with translation.override("en"):
        yield


def _prefs(user, **values):
    return NotificationPreference.objects.update_or_create(user=user, defaults=values)[0]


@pytest.fixture
def order(company):
    return lc.order_make(contract=company.c1, user=company.buyer, lines=[(lc.product(), 2, 100)])


def _change(order, to, django_capture_on_commit_callbacks, comment=""):
    with django_capture_on_commit_callbacks(execute=True):
        order_status_change(order=order, to=to, actor=None, comment=comment)


def test_the_buyer_gets_an_email_in_their_language(company, order, django_capture_on_commit_callbacks):
    company.buyer.language = "en"
    company.buyer.save()

    _change(order, OrderStatus.CONFIRMED, django_capture_on_commit_callbacks, comment="Soon")

    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    message = mail.outbox[0]
    assert message.subject == f"Order {order.number}: confirmed"
    assert "Soon" in message.body
    assert f"/orders/{order.number}/" in message.body
    assert not SmsMessage.objects.exists()  # SMS are off by default


def test_nothing_is_sent_when_the_change_is_rolled_back(company, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_status_change(order=order, to=OrderStatus.CONFIRMED, actor=None)
    # the callbacks only run on commit; the test transaction never commits them
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_buyer_who_turned_emails_off_gets_none_but_their_sms(company, order, django_capture_on_commit_callbacks):
    company.buyer.phone = "+79165551234"
    company.buyer.save()
    _prefs(company.buyer, email_status=False, sms_status=True)

    _change(order, OrderStatus.CONFIRMED, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    sms = SmsMessage.objects.get()
    assert (sms.phone, sms.provider) == ("+79165551234", "log")
    assert order.number in sms.text


def test_the_admin_gets_a_copy_only_when_they_asked(company, order, django_capture_on_commit_callbacks):
    _change(order, OrderStatus.CONFIRMED, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]

    mail.outbox.clear()
    _prefs(company.admin, company_orders_copy=True)
    _change(order, OrderStatus.ASSEMBLING, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "buyer@example.com"]


def test_admins_are_asked_to_approve_and_the_buyer_hears_the_decision(company, django_capture_on_commit_callbacks):
    order = lc.order_make(
        contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)], status=OrderStatus.AWAITING_APPROVAL
    )
    with django_capture_on_commit_callbacks(execute=True):
        order_event_record(order=order, status_from="", status_to=OrderStatus.AWAITING_APPROVAL, actor=company.buyer)

    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "buyer@example.com"]
    to_admin = next(m for m in mail.outbox if m.to == ["admin@example.com"])
    assert order.number in to_admin.subject

    mail.outbox.clear()
    _change(order, OrderStatus.REJECTED, django_capture_on_commit_callbacks, comment="Over budget")
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert "Over budget" in mail.outbox[0].body


def test_a_failing_sms_gateway_does_not_stop_the_email(company, order, django_capture_on_commit_callbacks):
    company.buyer.phone = "+79165551234"
    company.buyer.save()
    _prefs(company.buyer, sms_status=True)

    with override_settings(SMS_PROVIDER="http", SMS_HTTP_URL="http://127.0.0.1:9/"):
        _change(order, OrderStatus.CONFIRMED, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


# SMS providers -------------------------------------------------------------------------------


class _Gateway(http.server.BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received = []
    _Gateway.status = 200
    server = http.server.HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/send", _Gateway
    server.shutdown()
    server.server_close()


def test_the_http_provider_posts_credentials_sender_phone_and_text(gateway):
    url, handler = gateway
    with override_settings(
        SMS_PROVIDER="http", SMS_HTTP_URL=url, SMS_HTTP_LOGIN="shop", SMS_HTTP_PASSWORD="s3cret", SMS_SENDER="Optovik"
    ):
        provider = sms_provider()
        provider.send(phone="+79165551234", text="Заказ 2026-000001: отгружен")

    assert isinstance(provider, HttpSmsProvider)
    assert handler.received == [
        {
            "login": ["shop"],
            "password": ["s3cret"],
            "sender": ["Optovik"],
            "phone": ["+79165551234"],
            "text": ["Заказ 2026-000001: отгружен"],
        }
    ]


def test_the_http_provider_reports_a_refusal(gateway):
    url, handler = gateway
    handler.status = 403
    provider = HttpSmsProvider(url=url, login="x", password="y", sender="z")
    with pytest.raises(SmsError, match="403"):
        provider.send(phone="+79165551234", text="hi")


def test_the_http_provider_reports_an_unreachable_gateway():
    provider = HttpSmsProvider(url="http://127.0.0.1:9/", login="x", password="y", sender="z", timeout=2)
    with pytest.raises(SmsError, match="unreachable"):
        provider.send(phone="+79165551234", text="hi")


# Preferences page ----------------------------------------------------------------------------


def test_a_purchaser_saves_preferences_without_the_company_copy(company, login):
    client = login(company.buyer)
    page = client.get(reverse("portal:notification_settings")).content.decode()
    assert "company_orders_copy" not in page

    client.post(reverse("portal:notification_settings"), {"cart_reminders": "", "email_status": "on"})

    prefs = NotificationPreference.objects.get(user=company.buyer)
    assert (prefs.email_status, prefs.cart_reminders, prefs.company_orders_copy) == (True, False, False)


def test_the_admin_asks_for_company_copies(company, login):
    client = login(company.admin)
    client.post(reverse("portal:notification_settings"), {"email_status": "on", "company_orders_copy": "on"})
    assert NotificationPreference.objects.get(user=company.admin).company_orders_copy is True


def test_sms_need_a_phone(company, login):
    client = login(company.buyer)
    response = client.post(reverse("portal:notification_settings"), {"sms_status": "on"})
    assert response.status_code == 200
    assert "Add your phone" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# Abandoned carts -----------------------------------------------------------------------------


def _cart(company, hours_ago, user=None, with_lines=True):
    cart = Cart.objects.create(client=company.client, user=user or company.buyer, contract=company.c1)
    if with_lines:
        CartLine.objects.create(client=company.client, cart=cart, product=lc.product(), quantity=Decimal(3))
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now() - dt.timedelta(hours=hours_ago))
    return cart


@override_settings(ABANDONED_CART_HOURS=24)
def test_a_cart_untouched_for_the_hours_gets_one_reminder(company, django_capture_on_commit_callbacks):
    old = _cart(company, 25)
    _cart(company, 23, user=company.admin)  # too fresh
    _cart(company, 48, user=company.accountant, with_lines=False)  # empty

    with django_capture_on_commit_callbacks(execute=True):
        assert cart_reminders_task.enqueue().return_value == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert cart_reminders_send() == 0  # never twice

    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert "/cart/" in mail.outbox[0].body
    old.refresh_from_db()
    assert old.reminder_sent_at is not None


@override_settings(ABANDONED_CART_HOURS=24)
def test_a_changed_cart_can_be_reminded_again(company, django_capture_on_commit_callbacks):
    cart = _cart(company, 30)
    with django_capture_on_commit_callbacks(execute=True):
        cart_reminders_send()
    # the buyer changes the cart and leaves it again
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now() + dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert cart_reminders_send(now=timezone.now() + dt.timedelta(hours=26)) == 1
    assert len(mail.outbox) == 2


@override_settings(ABANDONED_CART_HOURS=24)
def test_no_reminder_for_a_user_who_turned_them_off(company, django_capture_on_commit_callbacks):
    _prefs(company.buyer, cart_reminders=False)
    cart = _cart(company, 30)

    with django_capture_on_commit_callbacks(execute=True):
        assert cart_reminders_send() == 0

    assert mail.outbox == []
    cart.refresh_from_db()
    assert cart.reminder_sent_at is not None  # considered, not retried every tick

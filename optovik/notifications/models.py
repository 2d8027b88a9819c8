"""What each person wants to hear about, and the SMS messages the development provider keeps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """One row per user; a user without a row gets the defaults (see ``preference_for``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_status = models.BooleanField(_("e-mail me when my order's status changes"), default=True)
    sms_status = models.BooleanField(_("send me an SMS when my order's status changes"), default=False)
    company_orders_copy = models.BooleanField(
        _("send me a copy about every order of the company"),
        default=False,
        help_text=_("For company admins."),
    )
    cart_reminders = models.BooleanField(_("remind me about a cart I left"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class SmsMessage(models.Model):
    """An SMS as the development provider "sent" it: logged and kept here to look at."""

    phone = models.CharField(_("phone"), max_length=16)
    text = models.TextField(_("text"))
    provider = models.CharField(_("provider"), max_length=32)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.phone}: {self.text[:40]}"


class PeriodicRun(models.Model):
    """The last slot a periodic task was enqueued for. Schedulers on several hosts claim a slot
    with one conditional UPDATE, so exactly one of them enqueues it."""

    name = models.CharField(_("task"), max_length=64, primary_key=True)
    last_slot = models.DateTimeField(_("last slot"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")

    def __str__(self):
        return f"{self.name}: {self.last_slot}"

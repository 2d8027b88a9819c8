"""The user's notification preferences."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from optovik.customers.permissions import Perm
from optovik.notifications.models import NotificationPreference

from ..access import portal_view
from ..forms import BootstrapFormMixin


class PreferenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ("email_status", "sms_status", "company_orders_copy", "cart_reminders")

    def __init__(self, *args, is_admin: bool, has_phone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_admin:
            del self.fields["company_orders_copy"]
        if not has_phone:
            self.fields["sms_status"].help_text = _("Add your phone in the profile to get SMS.")

    def clean_sms_status(self):
        value = self.cleaned_data["sms_status"]
        if value and not self.instance.user.phone:
            raise forms.ValidationError(_("Add your phone in the profile first."))
        return value


@portal_view()
def notification_settings(request):
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = PreferenceForm(
        request.POST or None,
        instance=preference,
        is_admin=request.tenant.can(Perm.MANAGE_COMPANY),
        has_phone=bool(request.user.phone),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Notification settings saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notifications/preferences.html", {"form": form})

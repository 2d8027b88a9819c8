"""The personal account: dashboard, switcher, profile, requisites."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from optovik.accounts import services as account_services
from optovik.core.tenancy import tenant_switch

from .. import forms
from ..access import portal_view


@portal_view()
def dashboard(request):
    return render(request, "portal/account/dashboard.html", {})


@require_POST
@portal_view()
def switch(request):
    def as_int(name):
        value = request.POST.get(name, "")
        return int(value) if value.isdigit() else None

    le_id, contract_id = as_int("legal_entity"), as_int("contract")
    current_le = request.tenant.legal_entity.pk if request.tenant.legal_entity else None
    if le_id is not None and le_id != current_le:
        ok = tenant_switch(request, legal_entity_id=le_id)  # a new legal entity starts at its first contract
    elif contract_id is not None:
        ok = tenant_switch(request, contract_id=contract_id)
    else:
        ok = True
    if not ok:
        messages.error(request, _("You cannot act for that legal entity or contract."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "portal:dashboard"
    return redirect(next_url)


@portal_view()
def requisites(request):
    le = request.tenant.legal_entity
    bank_accounts = list(le.bank_accounts.all()) if le else []
    return render(request, "portal/account/requisites.html", {"legal_entity": le, "bank_accounts": bank_accounts})


@portal_view()
def profile(request):
    user = request.user
    initial = {f: getattr(user, f) for f in ("first_name", "last_name", "middle_name", "phone", "position")}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        account_services.user_profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("portal:profile")
    return render(request, "portal/account/profile.html", {"form": form})

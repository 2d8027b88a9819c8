"""Accepting an e-mailed invitation: no sign-in needed, the link itself is the key."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from optovik.core.errors import ApplicationError
from optovik.customers import selectors, services

from .. import forms


@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return render(request, "portal/invitation/invalid.html", {"reason": "unknown"}, status=404)
    if not invitation.is_usable or not invitation.client.is_active:
        return render(request, "portal/invitation/invalid.html", {"invitation": invitation}, status=410)
    form = forms.InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                token=token, first_name=data["first_name"], last_name=data["last_name"], password=data["password1"]
            )
        except ApplicationError as e:
            forms.form_add_service_error(form, e)
        else:
            login(request, user, backend="optovik.accounts.backends.EmailBackend")  # a new session key
            messages.success(
                request, _("Welcome! You are now a member of %(company)s.") % {"company": invitation.client.name}
            )
            return redirect("portal:dashboard")
    return render(request, "portal/invitation/accept.html", {"form": form, "invitation": invitation})

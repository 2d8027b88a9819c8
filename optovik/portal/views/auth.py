"""Sign-in, sign-out and passwords."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from optovik.accounts import services as account_services
from optovik.accounts.backends import EmailBackend

from .. import forms


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        wait = account_services.login_blocked_for(email=email, ip_address=ip)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            form.add_error(
                None,
                ngettext(
                    "Too many failed attempts. Try again in %(n)d minute or reset your password.",
                    "Too many failed attempts. Try again in %(n)d minutes or reset your password.",
                    minutes,
                )
                % {"n": minutes},
            )
            status = 429
        else:
            user = EmailBackend().authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                account_services.login_failure_record(email=email, ip_address=ip)
                form.add_error(None, _("Wrong e-mail or password, or the account is blocked."))
            else:
                account_services.login_success_record(email=email)
                login(request, user, backend="optovik.accounts.backends.EmailBackend")  # rotates the session key
                if user.language:
                    request.session["_language"] = user.language
                if url_has_allowed_host_and_scheme(
                    next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    return redirect(next_url)
                return redirect("admin:index" if user.is_staff else settings.LOGIN_REDIRECT_URL)
    return render(request, "portal/auth/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "portal/auth/password_reset.html"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been set. You can sign in now."))
        return super().form_valid(form)


def password_change_view(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("portal:profile")
    return render(request, "portal/auth/password_change.html", {"form": form})

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from optovik.core.requisites import normalize_phone
from optovik.notifications.services import email_enqueue


class BootstrapFormMixin:
    """Bootstrap classes and ARIA error wiring for every widget, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else (
                    "form-select"
                    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple)
                    else "form-control"
                )
            )
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "form-check-input"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self.prefix + '-' if self.prefix else ''}{name}-error"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class LoginForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        context = {k: v for k, v in context.items() if k in {"uid", "token", "email"}}
        email_enqueue(to=to_email, template="password_reset", context=context)


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class ProfileForm(BootstrapFormMixin, forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    middle_name = forms.CharField(label=_("Middle name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, help_text=_("E.g. +7 495 123-45-67"))
    position = forms.CharField(label=_("Position"), max_length=150, required=False)

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from optovik.accounts.models import User
from optovik.core.errors import ApplicationError
from optovik.core.requisites import normalize_phone
from optovik.customers.models import LegalEntity, Role
from optovik.notifications.services import email_enqueue


class BootstrapFormMixin:
    """Bootstrap classes and ARIA error wiring for every widget, so templates stay plain.

    Errors are marked as they are added (not in ``__init__``), so a subclass may still change its
    fields — a queryset, a removed field — after calling ``super().__init__()``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple)
                else (
                    "form-select"
                    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple)
                    else "form-control"
                )
            )
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors or {}:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is None or "is-invalid" in widget.attrs.get("class", ""):
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{self.prefix + '-' if self.prefix else ''}{name}-error"


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


def form_add_service_error(form: forms.Form, error: Exception) -> None:
    """Shows a service's ``ValidationError`` or ``ApplicationError`` on the form: under its field when
    the form has that field, above the form otherwise."""
    if isinstance(error, ApplicationError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class AddressForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False, help_text=_("E.g. «Main warehouse»."))
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
        help_text=_("City, street, building; the postcode helps the carrier."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=255, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        help_text=_("E.g. +7 495 123-45-67"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    comment = forms.CharField(
        label=_("Comment for the driver"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    make_default = forms.BooleanField(label=_("Use as the default address"), required=False)

    def __init__(self, *args, with_default: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_default:
            del self.fields["make_default"]

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap's stacked check boxes, one per line."""

    template_name = "portal/account/widgets/checkbox_select.html"
    option_template_name = "portal/account/widgets/checkbox_option.html"


class LegalEntityLimitField(forms.ModelMultipleChoiceField):
    widget = CheckboxList

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Limited to legal entities"))
        kwargs.setdefault("help_text", _("Leave all unticked to allow every legal entity of the company."))
        super().__init__(queryset=LegalEntity.objects.none(), required=False, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.short_name} ({_('INN')} {obj.inn})"


class _MemberFieldsMixin:
    def _limit_to_client(self, client):
        self.fields["legal_entities"].queryset = LegalEntity.objects.filter(client=client, is_active=True).order_by(
            "short_name"
        )


class InvitationForm(_MemberFieldsMixin, BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PURCHASER)
    legal_entities = LegalEntityLimitField()

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to_client(client)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberForm(_MemberFieldsMixin, BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    can_place_orders = forms.BooleanField(
        label=_("May also place orders"),
        required=False,
        help_text=_("For an accountant who also buys; admins and purchasers order anyway."),
    )
    legal_entities = LegalEntityLimitField()

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to_client(client)


class InvitationAcceptForm(BootstrapFormMixin, forms.Form):
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(p1, user=candidate)
            except ValidationError as e:
                self.add_error("password1", e)
        return cleaned

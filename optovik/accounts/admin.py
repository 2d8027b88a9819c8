"""Back-office pages for people: users (signed in by e-mail) and failed sign-ins.

Administrators manage everyone, staff included. A manager sees only the customer users of their
own clients and cannot touch staff flags, roles or permissions.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget

from optovik.backoffice.admin_base import StaffScopedAdmin, is_admin

from .models import LoginAttempt, User


class UserAddForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "last_name", "first_name", "middle_name", "phone", "position")
        field_classes = {}

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("A user with this e-mail already exists."), code="unique")
        return email


def _language_field():
    return forms.ChoiceField(
        label=_("language"),
        choices=[("", _("as the site")), *settings.LANGUAGES],
        required=False,
        widget=UnfoldAdminSelectWidget,
    )


class UserEditForm(UserChangeForm):
    language = _language_field()

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {}


STAFF_FIELDS = ("is_staff", "staff_role", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(StaffScopedAdmin, DjangoUserAdmin, ModelAdmin):
    client_lookup = "memberships__client"
    manager_permissions = frozenset({"view", "change"})
    form = UserEditForm
    add_form = UserAddForm
    change_password_form = AdminPasswordChangeForm
    list_display = ("email", "get_full_name", "phone", "position", "staff_role", "is_staff", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "staff_role", "memberships__role")
    search_fields = ("email", "last_name", "first_name", "phone", "memberships__client__name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": (("last_name", "first_name", "middle_name"), "phone", "position", "language")}),
        (_("Access"), {"fields": ("is_active", *STAFF_FIELDS)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "middle_name", "phone", "position")}),
    )

    @admin.display(description=_("Full name"), ordering="last_name")
    def get_full_name(self, obj):
        return obj.get_full_name()

    def manager_filter(self, request) -> Q:
        """Customer users who are members of the manager's clients; never staff."""
        members = User.objects.filter(memberships__client__manager=request.user).values("pk")
        return Q(pk__in=members, is_staff=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or is_admin(request.user):
            return fieldsets
        return tuple(
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in STAFF_FIELDS)})
            for name, opts in fieldsets
        )


@admin.register(LoginAttempt)
class LoginAttemptAdmin(StaffScopedAdmin, ModelAdmin):
    """Failed sign-ins, for looking into a blocked account. Read only; deleting one lifts a block."""

    client_lookup = None
    admin_only = True
    list_display = ("email", "ip_address", "created_at")
    search_fields = ("email", "ip_address")
    date_hierarchy = "created_at"
    readonly_fields = ("email", "ip_address", "created_at")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

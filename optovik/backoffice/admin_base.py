"""What every back-office admin shares: who may do what, and which clients a manager sees.

The back office is the Django admin. Two kinds of staff use it:

* an **administrator** (``user.is_supplier_admin``: a superuser or ``staff_role`` "administrator")
  sees and may change everything;
* a **manager** (``user.is_supplier_manager``) works only with the clients assigned to them
  (``Client.manager``): every list, change page, form choice, inline, filter and autocomplete shows
  only rows of those clients, and a foreign row's URL answers as if the row did not exist.

Permissions come from the staff role, not from Django's per-model permission rows. A new manager
therefore works the moment their role is set, nobody has to keep a group in step with the models,
and a manager can never be granted more by an accidental group membership. Each admin declares what
a manager may do (``manager_permissions``); staff without a role fall back to Django's own model
permissions. Customer users never reach the admin (``is_staff`` is false).
"""

from django import forms
from django.db.models import CharField, Q, QuerySet

from optovik.core.requisites import normalize_phone

PHONE_FIELDS = frozenset({"phone", "contact_phone"})


class PhoneFormField(forms.CharField):
    """Accepts a phone as people type it ("8 (916) 555-12-34") and keeps it as +79165551234."""

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


def is_admin(user) -> bool:
    return bool(getattr(user, "is_supplier_admin", False))


def is_manager(user) -> bool:
    return bool(getattr(user, "is_supplier_manager", False)) and not is_admin(user)


class StaffScopedAdmin:
    """Mixin for every back-office ``ModelAdmin`` and inline (put it first in the bases).

    ``client_lookup`` is the path from the model to its ``Client`` ("pk" for Client itself,
    "client", "legal_entity__client", …); ``None`` marks a model that belongs to no client, which a
    manager may only see when ``manager_permissions`` allows it. ``admin_only`` hides the admin from
    managers entirely.
    """

    client_lookup: str | None = "client"
    manager_permissions: frozenset[str] = frozenset({"view"})
    admin_only = False

    # Who may do what -------------------------------------------------------------------------

    def _role_permission(self, request, kind: str, default):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if is_admin(user):
            return True
        if is_manager(user):
            return not self.admin_only and kind in self.manager_permissions
        return default()

    def has_module_permission(self, request):
        parent = super().has_module_permission
        return self._role_permission(request, "view", lambda: parent(request))

    def has_view_permission(self, request, obj=None):
        parent = super().has_view_permission
        return self._role_permission(request, "view", lambda: parent(request, obj)) or (
            self.has_change_permission(request, obj)
        )

    def has_add_permission(self, request, *args):
        parent = super().has_add_permission
        return self._role_permission(request, "add", lambda: parent(request, *args))

    def has_change_permission(self, request, obj=None):
        parent = super().has_change_permission
        return self._role_permission(request, "change", lambda: parent(request, obj))

    def has_delete_permission(self, request, obj=None):
        parent = super().has_delete_permission
        return self._role_permission(request, "delete", lambda: parent(request, obj))

    # Which rows ------------------------------------------------------------------------------

    def manager_filter(self, request) -> Q:
        """The rows of this admin's model that the requesting manager may see."""
        if self.client_lookup is None:
            return Q()
        field = "manager" if self.client_lookup == "pk" else f"{self.client_lookup}__manager"
        return Q(**{field: request.user})

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:
        if is_manager(request.user):
            return queryset.filter(self.manager_filter(request))
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    # Form fields -----------------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CharField) and db_field.name in PHONE_FIELDS:
            kwargs.update(form_class=PhoneFormField, max_length=32)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _limit_choices(self, request, model, queryset):
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, StaffScopedAdmin):
            return related_admin.scope_queryset(request, queryset)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_choices(request, db_field.related_model, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_choices(request, db_field.related_model, formfield.queryset)
        return formfield

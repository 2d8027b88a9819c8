"""Admin site configuration shared by every app: the index title, the admin's
Content Security Policy and the themed auth group page.

The site title, header and colours are in the ``UNFOLD`` setting."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from .csp import apply_admin_csp

admin.site.index_title = _("Optovik — back office")
apply_admin_csp(admin.site)

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin, ModelAdmin):
    pass

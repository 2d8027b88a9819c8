"""Back office: the SMS the development provider kept, and when each periodic task last ran."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from optovik.backoffice.admin_base import StaffScopedAdmin

from .models import PeriodicRun, SmsMessage


class ReadOnlyAdmin(StaffScopedAdmin, ModelAdmin):
    client_lookup = None
    admin_only = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "phone", "text", "provider")
    search_fields = ("phone", "text")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_slot", "last_run_at")

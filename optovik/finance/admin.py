"""Back office for settlements: staff enter shipments, payments and adjustments per contract.
Managers see and enter entries only for their clients (``StaffScopedAdmin``)."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from optovik.backoffice.admin_base import StaffScopedAdmin

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(StaffScopedAdmin, ModelAdmin):
    manager_permissions = frozenset({"view", "add", "change"})
    list_display = ("date", "contract", "client", "kind", "document_number", "debit", "credit", "due_date")
    list_filter = ("kind", ("client", admin.RelatedOnlyFieldListFilter), ("date", admin.DateFieldListFilter))
    search_fields = ("document_number", "description", "contract__number", "client__name")
    date_hierarchy = "date"
    list_select_related = ("contract", "client")
    autocomplete_fields = ("contract", "order")
    fields = ("contract", "kind", "date", "document_number", "description", ("debit", "credit"), "due_date", "order")

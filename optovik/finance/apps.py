from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "optovik.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self):
        # The back-office pages of the documents live beside the ledger's own admin module.
        from . import admin_documents  # noqa: F401

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ExternalIdMixin(models.Model):
    """Rows an ERP syncs carry its id (the 1C GUID); imports are upserts by it."""

    external_id = models.CharField(_("external id"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        abstract = True

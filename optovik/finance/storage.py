"""Private file storage of issued and uploaded documents.

The folder lies beside MEDIA_ROOT, never below it, so no public URL serves it (``/media/`` in
development included). Files reach a customer only through views that check the tenancy scope;
names carry a random part, so a guessed path leads nowhere either.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(configured or f"{str(settings.MEDIA_ROOT).rstrip('/')}-private")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private documents have no public URL.")


private_storage = PrivateStorage()


def upload_path(instance, filename: str) -> str:
    """``documents/<client>/<random>/<name>``: unguessable, and never the uploader's path."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"documents/{instance.client_id}/{secrets.token_urlsafe(18)}{suffix}"


def rendered_path(instance, filename: str) -> str:
    return f"rendered/{instance._meta.model_name}/{instance.client_id}/{secrets.token_urlsafe(18)}.pdf"

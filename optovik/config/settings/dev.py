"""Development: `make run`. Safe defaults for one machine; never use in production."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "1") == "1"

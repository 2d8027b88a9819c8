"""Tests: fast hashing, mail kept in memory, tasks run at once (still after commit)."""

import atexit
import os
import shutil
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="optovik-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="optovik-private-")
STATIC_ROOT = tempfile.mkdtemp(prefix="optovik-static-")  # the live server serves from the apps' static folders
_TEST_DB_DIR = tempfile.mkdtemp(prefix="optovik-db-")
for _directory in (MEDIA_ROOT, PRIVATE_MEDIA_ROOT, STATIC_ROOT, _TEST_DB_DIR):
    atexit.register(shutil.rmtree, _directory, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
else:
    # A database file, as in production, not the in-memory default: with an in-memory database the live
    # server's request threads and the test share one connection, and two requests at once (a search
    # suggestion still loading when the search form is sent) can read each other's half-done statements.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_TEST_DB_DIR, "test.sqlite3")}  # noqa: F405

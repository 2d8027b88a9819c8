import contextlib

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from optovik.core.requisites import normalize_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, staff_role=User.StaffRole.ADMINISTRATOR)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by e-mail: a customer's employee or a member of the supplier's staff."""

    class StaffRole(models.TextChoices):
        NONE = "", _("not staff")
        MANAGER = "manager", _("manager")
        ADMINISTRATOR = "administrator", _("administrator")

    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A blocked user cannot sign in; their open sessions end.")
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    staff_role = models.CharField(_("staff role"), max_length=20, choices=StaffRole.choices, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        self.phone = normalize_phone(self.phone)

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        with contextlib.suppress(ValidationError):  # forms report invalid phones; keep what was given
            self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p).strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_supplier_manager(self) -> bool:
        return self.is_staff and self.staff_role == self.StaffRole.MANAGER

    @property
    def is_supplier_admin(self) -> bool:
        return self.is_staff and (self.is_superuser or self.staff_role == self.StaffRole.ADMINISTRATOR)


class LoginAttempt(models.Model):
    """A failed sign-in, kept for throttling; old rows are pruned on the next failure."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"

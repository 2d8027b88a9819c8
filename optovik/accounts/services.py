"""Sign-in throttling and account changes."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import LoginAttempt, User


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_blocked_for(*, email: str, ip_address: str | None) -> int:
    """Seconds until the next sign-in attempt is allowed for this e-mail or address; 0 when allowed."""
    email = (email or "").strip().lower()
    cond = Q(email=email) if email else Q(pk__in=[])
    recent = LoginAttempt.objects.filter(created_at__gte=_window_start())
    for flt, limit in (
        (cond, settings.LOGIN_FAILURE_LIMIT),
        (Q(ip_address=ip_address), settings.LOGIN_FAILURE_LIMIT * 4),
    ):
        if ip_address is None and limit != settings.LOGIN_FAILURE_LIMIT:
            continue
        attempts = list(recent.filter(flt).order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(attempts) >= limit:
            oldest = attempts[-1]
            wait = (oldest + timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS) - timezone.now()).total_seconds()
            if wait > 0:
                return int(wait) + 1
    return 0


def login_failure_record(*, email: str, ip_address: str | None) -> None:
    LoginAttempt.objects.filter(created_at__lt=_window_start()).delete()
    LoginAttempt.objects.create(email=(email or "").strip().lower()[:254], ip_address=ip_address)


def login_success_record(*, email: str) -> None:
    LoginAttempt.objects.filter(email=(email or "").strip().lower()).delete()


def user_profile_update(
    *, user: User, first_name: str, last_name: str, middle_name: str, phone: str, position: str
) -> User:
    user.first_name, user.last_name, user.middle_name = first_name, last_name, middle_name
    user.phone, user.position = phone, position
    user.save(update_fields=["first_name", "last_name", "middle_name", "phone", "position"])
    return user

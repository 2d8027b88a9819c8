"""Periodic ordering work, enqueued by ``manage.py scheduler`` and run by the task worker."""

from django.tasks import task
from django_scopes import scopes_disabled


@task(queue_name="default")
def holds_expire_task() -> int:
    """Releases the stock of reservations whose time is up."""
    from .services.holds import holds_expire

    with scopes_disabled():
        return holds_expire()


@task(queue_name="default")
def cart_reminders_task() -> int:
    """Reminds about carts left untouched."""
    from .services.reminders import cart_reminders_send

    with scopes_disabled():
        return cart_reminders_send()

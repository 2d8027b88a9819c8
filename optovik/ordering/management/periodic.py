"""Periodic tasks and the slot claim that lets any number of schedulers run side by side.

Time is cut into slots of each task's interval (aligned to the epoch). For each due slot a
scheduler tries one conditional UPDATE of the task's ``PeriodicRun`` row ("set last_slot to this
slot where it is older"); only the scheduler whose UPDATE changed the row enqueues the task, in the
same transaction. Several schedulers on several hosts therefore never double-run a slot, and a
slot missed while every scheduler was down is simply skipped (the next one catches up on the work).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from optovik.notifications.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a django.tasks task taking no arguments
    every: dt.timedelta


PERIODIC_TASKS = (
    Periodic("holds_expire", "optovik.ordering.tasks.holds_expire_task", dt.timedelta(minutes=5)),
    Periodic("cart_reminders", "optovik.ordering.tasks.cart_reminders_task", dt.timedelta(minutes=15)),
)

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def slot_of(*, now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    """The start of the slot ``now`` falls into."""
    return EPOCH + ((now - EPOCH) // every) * every


def slot_claim(*, name: str, slot: dt.datetime, now: dt.datetime) -> bool:
    """True for exactly one caller per (name, slot), whatever the number of concurrent callers."""
    PeriodicRun.objects.get_or_create(name=name)
    claimed = (
        PeriodicRun.objects.filter(name=name)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(last_slot=slot, last_run_at=now)
    )
    return claimed == 1


def periodic_tick(*, now: dt.datetime | None = None, tasks=PERIODIC_TASKS) -> list[str]:
    """Enqueues every task whose current slot nobody has claimed yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for periodic in tasks:
        slot = slot_of(now=now, every=periodic.every)
        with transaction.atomic():
            if not slot_claim(name=periodic.name, slot=slot, now=now):
                continue
            import_string(periodic.task).enqueue()
        logger.info("Enqueued %s for %s", periodic.name, slot.isoformat())
        enqueued.append(periodic.name)
    return enqueued

"""The periodic scheduler: each slot of each task is enqueued once, whatever the number of schedulers."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from optovik.notifications.models import PeriodicRun
from optovik.ordering.management import periodic
from optovik.ordering.management.periodic import Periodic, periodic_tick, slot_of

NOW = dt.datetime(2026, 3, 2, 10, 7, 30, tzinfo=dt.UTC)
calls = []


class FakeTask:
    def enqueue(self):
        calls.append(1)


fake_task = FakeTask()
TASKS = (Periodic("fake", f"{__name__}.fake_task", dt.timedelta(minutes=5)),)


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_slots_are_aligned_to_the_interval():
    assert slot_of(now=NOW, every=dt.timedelta(minutes=5)) == dt.datetime(2026, 3, 2, 10, 5, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_and_the_next_slot_again():
    assert periodic_tick(now=NOW, tasks=TASKS) == ["fake"]
    assert periodic_tick(now=NOW + dt.timedelta(minutes=1), tasks=TASKS) == []
    assert periodic_tick(now=NOW + dt.timedelta(minutes=3), tasks=TASKS) == ["fake"]
    assert len(calls) == 2
    run = PeriodicRun.objects.get(name="fake")
    assert run.last_slot == dt.datetime(2026, 3, 2, 10, 10, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_an_older_slot_never_runs_after_a_newer_one():
    periodic_tick(now=NOW, tasks=TASKS)
    assert periodic_tick(now=NOW - dt.timedelta(minutes=10), tasks=TASKS) == []
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_never_double_run_a_slot():
    # given several schedulers (threads with their own connections) ticking at the same moment
    barrier = threading.Barrier(6)
    results, errors = [], []

    def scheduler():
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    results.append(periodic_tick(now=NOW, tasks=TASKS))
                    break
                except OperationalError:
                    # the in-memory SQLite test database answers "table is locked" at once instead
                    # of waiting; a real scheduler simply ticks again
                    if connection.vendor != "sqlite":
                        raise
                    time.sleep(0.01)
        except Exception as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then exactly one of them enqueued the task
    assert not errors
    assert len(results) == 6
    assert sum(len(r) for r in results) == 1
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_command_enqueues_the_real_periodic_tasks_once(capsys):
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")

    names = set(PeriodicRun.objects.values_list("name", flat=True))
    assert names == {p.name for p in periodic.PERIODIC_TASKS}
    out = capsys.readouterr().out
    assert out.count("enqueued holds_expire") == 1
    assert out.count("enqueued cart_reminders") == 1

"""``manage.py scheduler``: once a minute, enqueues the periodic tasks that are due (the task
worker runs them). Safe to run on several hosts at once: each slot is enqueued by one of them."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from optovik.ordering.management.periodic import PERIODIC_TASKS, periodic_tick


class Command(BaseCommand):
    help = "Enqueue due periodic tasks (reservation expiry, abandoned-cart reminders) every minute."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")
        parser.add_argument("--interval", type=float, default=60, help="Seconds between ticks (default 60).")

    def handle(self, *args, once=False, interval=60, **options):
        self._stop = False
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        names = ", ".join(p.name for p in PERIODIC_TASKS)
        self.stdout.write(f"Scheduler started: {names}")
        while not self._stop:
            try:
                for name in periodic_tick(now=timezone.now()):
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} enqueued {name}")  # as the log lines
            except Exception as e:  # keep ticking through a database hiccup
                self.stderr.write(f"Scheduler tick failed: {e}")
            if once:
                break
            close_old_connections()  # between ticks: drop a connection the database closed meanwhile
            deadline = time.monotonic() + interval
            while not self._stop and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
        self.stdout.write("Scheduler stopped.")

    def _request_stop(self, signum, frame):
        self._stop = True

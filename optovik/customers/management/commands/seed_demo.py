"""``manage.py seed_demo``: fills a fresh site with demo data; ``make run`` calls it with ``--if-empty``.

Each app contributes one seeder, a function ``seed_…(*, stdout=None)`` named by its dotted path in
``DEMO_SEEDERS``; they run in this order, all in one transaction and outside any tenancy scope. A
seeder upserts its rows (by ``external_id`` or e-mail), so running the command again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string
from django_scopes import scopes_disabled

from optovik.customers.demo import DEMO_SELLER_EXTERNAL_ID
from optovik.customers.models import SellerOrganization

DEMO_SEEDERS = (
    "optovik.customers.demo.seed_customers",
    "optovik.catalog.demo.seed_catalog",
    "optovik.ordering.demo.seed_orders",
    "optovik.finance.demo.seed_finance",
)


class Command(BaseCommand):
    help = "Creates or refreshes the demo data (supplier, clients, contracts, demo accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo supplier already exists (used on every start of the demo).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        with scopes_disabled():
            if if_empty and SellerOrganization.objects.filter(external_id=DEMO_SELLER_EXTERNAL_ID).exists():
                self.stdout.write("Demo data is already there; nothing to do.")
                return
            with transaction.atomic():
                for path in DEMO_SEEDERS:
                    import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

"""``manage.py stock_recount``: counts every product's available total again from its stock (after
stock written straight into the database, around the services), so that category pages sorted by
availability follow it. Each batch of products is its own transaction."""

from django.core.management.base import BaseCommand

from optovik.catalog.models import Product
from optovik.inventory.services import REFRESH_CHUNK, stock_available_refresh


class Command(BaseCommand):
    help = "Count every product's available stock again (the key of the sort by availability)."

    def handle(self, *args, **options):
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for first in range(0, len(ids), REFRESH_CHUNK):
            stock_available_refresh(product_ids=ids[first : first + REFRESH_CHUNK])
        self.stdout.write(f"{len(ids)} products counted.")

"""``manage.py generate_catalog --products N --seed S``: a large synthetic catalog for benchmarks."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_scopes import scopes_disabled

from optovik.catalog.generate import CPU_TIMINGS, TIMINGS, generate_catalog


class Command(BaseCommand):
    help = "Generates a large synthetic catalog (categories, products, prices, stock) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=100_000, help="How many products (default 100000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; one catalog per seed (default 1).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Products per INSERT … SELECT (default: 100000 on SQLite, all at once on PostgreSQL).",
        )

    def handle(self, *args, products: int, seed: int, batch_size: int | None, **options):
        if products < 1 or (batch_size is not None and batch_size < 1):
            raise CommandError("--products and --batch-size must be positive.")
        with scopes_disabled():
            try:
                result = generate_catalog(products=products, seed=seed, batch_size=batch_size, stdout=self.stdout)
            except ValueError as exc:
                raise CommandError(str(exc))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['products']} products in {result['seconds']:.1f} s "
                f"({result['rate']:,.0f} products/s; rows written in {result['write_seconds']:.1f} s); "
                f"{result['total_products']} products in the catalog."
            )
        )
        if options.get("verbosity", 1) > 1:  # SQLite works inside this process: its CPU time says more
            in_process = connection.vendor == "sqlite"
            for table, seconds in sorted(TIMINGS.items(), key=lambda kv: -kv[1]):
                cpu = f" (CPU {CPU_TIMINGS.get(table, 0.0):.1f} s)" if in_process else ""
                self.stdout.write(f"  {table}: {seconds:.1f} s{cpu}")

"""Catalog benchmark: server-side timings of the customer pages on a large catalog.

Builds its own database (a temporary SQLite file, or a throwaway PostgreSQL through
``scripts/pg``), runs ``migrate``, ``seed_demo`` and ``generate_catalog``, then signs in as
``buyer@stroymarket.example`` (a contract with its own prices) and times requests through Django's
test client — the whole server side: middleware, tenancy, selectors, templates; no network.

    python bench/catalog.py --db sqlite --products 100000 [--requests 200] [--json out.json]

Prints p50 / p95 per scenario in milliseconds — wall-clock, and the CPU time of the web process
(which on SQLite includes the database work, on PostgreSQL not) — and the worker's memory before
and after 1,000 requests.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
NAME_QUERIES = (
    "цемент усиленный", "шина зимняя", "саморез", "краска белая", "кирпича", "утеплитель фасадный",
    "профиль оцинкованный", "дрель", "эмаль быстросохнущая", "анкер", "брус", "плёнка",
)  # fmt: skip
SUGGEST_PREFIXES = ("цем", "шин", "само", "крас", "кирп", "утеп", "G1-0001", "дре", "эма", "анк", "бру", "плё")
PG_SETTINGS = "-c shared_buffers=4GB -c effective_cache_size=16GB -c work_mem=16MB"
TARGETS = {
    "category": 100,
    "category_filtered": 100,
    "category_top": 100,
    "category_top_price": 100,
    "category_top_availability": 100,
    "article": 50,
    "name_search": 100,
    "suggest": 30,
    "card": 50,
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine() -> str:
    """The CPU count and model, to tell which machine a result comes from."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPU, {model}, {platform.system()}"


def cpu_yardstick_ms() -> float:
    """Best of 5 runs of sum(range(10**6)) in this interpreter: machines differ by 2-3x in plain Python speed,
    so figures from different machines are compared through it."""
    return min(timeit.repeat("sum(range(10**6))", number=1, repeat=5)) * 1000


def prepare(args, workdir: Path) -> dict:
    """Creates the database and fills it; returns the environment for Django."""
    env = dict(os.environ)
    (workdir / "var" / "static").mkdir(parents=True)  # where collected static files would be; none are needed here
    env.update(
        DJANGO_SETTINGS_MODULE="optovik.config.settings.dev",
        DEBUG="0",
        OPTOVIK_VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    if args.db == "postgresql":
        # Memory settings a database server for this catalog would have (the defaults suit a laptop).
        pg_env = dict(os.environ, PG_SETTINGS=PG_SETTINGS)
        subprocess.run(
            [str(ROOT / "scripts/pg"), "start", str(workdir / "pg"), str(args.pg_port)], check=True, env=pg_env
        )
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{args.pg_port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE optovik")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{args.pg_port}/optovik"
    else:
        env["DATABASE_URL"] = ""
    timings = {}
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["seed_demo"],
        ["generate_catalog", "--products", str(args.products), "--seed", "1"],
    ):
        started = time.monotonic()
        out = subprocess.run(
            [PY, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
        timings[step[0]] = round(time.monotonic() - started, 1)
        if step[0] == "generate_catalog":
            print(out.strip().splitlines()[-1])
    env["_prepare_timings"] = json.dumps(timings)
    return env


def measure(args) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from optovik.accounts.models import User
    from optovik.catalog.models import Category, Product
    from optovik.catalog.selectors import category_breadcrumbs, facets

    rnd = random.Random(1)
    with scopes_disabled():
        user = User.objects.get(email="buyer@stroymarket.example")
        leaves = list(Category.objects.filter(external_id__startswith="gen-1-", depth__gte=3).order_by("pk"))
        tops = list(Category.objects.filter(external_id__startswith="gen-1-", depth=1).order_by("pk"))
        max_id = Product.objects.order_by("-id").values_list("id", flat=True).first()
        articles = []
        while len(articles) < 200:
            ids = [rnd.randrange(1, max_id + 1) for _ in range(400)]
            articles += list(
                Product.objects.filter(id__in=ids, status="active", external_id__startswith="gen-").values_list(
                    "article", flat=True
                )
            )

        def category_url(category):
            segments = [c.slug or str(c.pk) for c in category_breadcrumbs(category=category)]
            return reverse("portal:catalog_category", kwargs={"category_path": "/".join(segments)})

        leaf_sample = rnd.sample(leaves, min(60, len(leaves)))
        leaf_urls = [category_url(c) for c in leaf_sample]
        # A leaf with one value of one of its facets chosen, as a buyer clicks it on the page.
        filtered_urls = []
        for category in leaf_sample:
            offered = facets(contract=None, category=category)
            if offered:
                facet = offered[rnd.randrange(len(offered))]
                value = facet.values[rnd.randrange(len(facet.values))].value
                filtered_urls.append(f"{category_url(category)}?{urlencode({f'a{facet.attribute.pk}': value})}")
        top_urls = [category_url(c) for c in tops]
    search_url, suggest_url = reverse("portal:search"), reverse("portal:search_suggest")
    scenarios = {
        "category": lambda i: leaf_urls[i % len(leaf_urls)],
        "category_filtered": lambda i: filtered_urls[i % len(filtered_urls)],
        "category_top": lambda i: top_urls[i % len(top_urls)],
        "category_top_price": lambda i: f"{top_urls[i % len(top_urls)]}?sort={'-price' if i % 2 else 'price'}",
        "category_top_availability": lambda i: f"{top_urls[i % len(top_urls)]}?sort=availability&page={1 + i % 3}",
        "card": lambda i: reverse("portal:product", kwargs={"article": articles[i % len(articles)]}),
        "article": lambda i: f"{search_url}?q={articles[(i * 7) % len(articles)]}",
        "name_search": lambda i: f"{search_url}?q={NAME_QUERIES[i % len(NAME_QUERIES)]}",
        "suggest": lambda i: f"{suggest_url}?q={SUGGEST_PREFIXES[i % len(SUGGEST_PREFIXES)]}",
    }
    client = Client()
    client.force_login(user, backend="optovik.accounts.backends.EmailBackend")
    results = {}
    for name, url_for in scenarios.items():
        for i in range(5):  # warm-up
            client.get(url_for(i))
        samples, cpu, statuses = [], [], {}
        for i in range(args.requests):
            url = url_for(i)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        q = statistics.quantiles(samples, n=100)
        results[name] = {
            "p50": round(statistics.median(samples), 1),
            "p95": round(q[94], 1),
            "max": round(max(samples), 1),
            "cpu_p50": round(statistics.median(cpu), 1),
            "cpu_p95": round(statistics.quantiles(cpu, n=100)[94], 1),
            "statuses": statuses,
            "target_p95": TARGETS[name],
        }
        r = results[name]
        print(
            f"  {name:25} p50 {r['p50']:7.1f} ms   p95 {r['p95']:7.1f} ms   "
            f"(CPU of the web process: p50 {r['cpu_p50']:.1f}, p95 {r['cpu_p95']:.1f})   {statuses}"
        )
    rss_before = _rss_mb()
    names = list(scenarios)
    for i in range(1000):
        client.get(scenarios[names[i % len(names)]](i))
    rss_after = _rss_mb()
    print(f"  worker RSS: {rss_before:.0f} MB before, {rss_after:.0f} MB after 1,000 requests")
    return {
        "load_average": os.getloadavg(),
        "db": connection.vendor,
        "products": Product.objects.count(),
        "requests_per_scenario": args.requests,
        "scenarios": results,
        "rss_mb_before": round(rss_before),
        "rss_mb_after_1000": round(rss_after),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("BENCH_PG_PORT", "5443")))
    parser.add_argument("--json", help="Write the results to this file too.")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        result = measure(args)
        Path(os.environ["_BENCH_OUT"]).write_text(json.dumps(result))
        return
    yardstick = cpu_yardstick_ms()
    workdir = Path(tempfile.mkdtemp(prefix=f"optovik-bench-{args.db}-"))
    workdir.chmod(0o755)  # the PostgreSQL server runs as its own user and must reach its directory
    print(f"== catalog benchmark: {args.db}, {args.products:,} products")
    print(f"machine: {machine()}; Python yardstick sum(range(10**6)): {yardstick:.1f} ms")
    try:
        env = prepare(args, workdir)
        env["_BENCH_OUT"] = str(workdir / "result.json")
        measure_cmd = [PY, __file__, "--measure-only", "--db", args.db, "--requests", str(args.requests)]
        subprocess.run(measure_cmd, cwd=ROOT, env=env, check=True)
        result = json.loads((workdir / "result.json").read_text())
        result["prepare_seconds"] = json.loads(env["_prepare_timings"])
        result["machine"] = machine()
        result["yardstick_ms"] = round(yardstick, 1)
        result["python"] = platform.python_version()
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        if args.db == "postgresql":
            subprocess.run([str(ROOT / "scripts/pg"), "stop", str(workdir / "pg")], check=False)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    main()

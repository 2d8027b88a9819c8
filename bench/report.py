"""Markdown table of catalog benchmark results: ``python bench/report.py bench/results/*.json``."""

import json
import sys
from pathlib import Path

ORDER = (
    ("category", "category page, leaf (48 rows)"),
    ("category_filtered", "category page, leaf, one filter value chosen"),
    ("category_top", "category page, top level (48 rows)"),
    ("category_top_price", "category page, top level, by price (up and down)"),
    ("category_top_availability", "category page, top level, by availability (pages 1–3)"),
    ("card", "product card"),
    ("article", "exact-article search (→ card)"),
    ("name_search", "name search"),
    ("suggest", "suggestions"),
)


def main(paths):
    results = [json.loads(Path(p).read_text()) for p in paths]
    results.sort(key=lambda r: (r["products"], r["db"]))
    head = " | ".join(f"{r['db']}, {r['products']:,} products" for r in results)
    print(f"| p50 / p95, ms | {head} | target p95 at 1M |")
    print("|---|" + "---|" * len(results) + "---|")
    for key, label in ORDER:
        cells = []
        for r in results:
            s = r["scenarios"].get(key)
            cpu = f" (CPU {s['cpu_p50']:.0f} / {s['cpu_p95']:.0f})" if s and "cpu_p50" in s else ""
            cells.append(f"{s['p50']:.0f} / {s['p95']:.0f}{cpu}" if s else "—")
        target = results[0]["scenarios"].get(key, {}).get("target_p95") if results else None
        print(f"| {label} | {' | '.join(cells)} | {f'≤ {target}' if target else '—'} |")
    rss = " | ".join(f"{r['rss_mb_before']} → {r['rss_mb_after_1000']}" for r in results)
    print(f"| worker RSS, MB (before → after 1,000 requests) | {rss} | — |")
    gen = " | ".join(str(r.get("prepare_seconds", {}).get("generate_catalog", "—")) for r in results)
    print(f"| generate_catalog, s | {gen} | — |")
    machines = " | ".join(f"{r.get('machine', '?')}, yardstick {r.get('yardstick_ms', '?')} ms" for r in results)
    print(f"| machine | {machines} | — |")


if __name__ == "__main__":
    main(sys.argv[1:])

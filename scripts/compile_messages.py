"""Compiles locale/*/LC_MESSAGES/django.po to .mo with polib (no GNU gettext needed at install time)."""

import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> int:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(ROOT)}: {po.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

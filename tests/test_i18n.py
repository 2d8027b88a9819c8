"""The Russian catalog is complete and the compiled .mo matches the .po."""

import pathlib

import polib
from django.utils import translation

LOCALE = pathlib.Path(__file__).resolve().parents[1] / "locale"
RU_PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"


def test_russian_catalog_has_every_message_translated():
    po = polib.pofile(str(RU_PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_compiled_catalog_matches_the_source():
    po = polib.pofile(str(RU_PO))
    mo = polib.mofile(str(RU_PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        ), entry.msgid


def test_interface_speaks_russian_by_default_and_english_on_request(client, db):
    assert "Войти" in client.get("/login/").content.decode()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        assert "Sign in" in client.get("/login/").content.decode()

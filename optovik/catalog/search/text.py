"""Turning text into search words: lower case, ё → е, Russian stemming (Snowball via PyStemmer).

The same functions prepare the indexed text and the query, so "цемента" and "цемент" meet.
"""

import functools
import html
import re

import nh3
import Stemmer

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_RIM = re.compile(r"r([0-9]{2})c?")
_SIZE = re.compile(r"([0-9])(r[0-9]{2}c?)\b")  # the "55R16" of "205/55R16"


@functools.cache
def _stemmer():
    return Stemmer.Stemmer("russian")


def normalize_query(q) -> str:
    """The query as searched: a string, trimmed, at most ``MAX_QUERY_CHARS`` characters."""
    if not isinstance(q, str):
        q = "" if q is None else str(q)
    return q.replace("\x00", "").strip()[:MAX_QUERY_CHARS]


def words(text: str) -> list[str]:
    """Runs of letters and digits, lower case; a tyre size written together ("55R16") as its two
    words ("55", "r16"), as it is more often written apart."""
    return _WORD.findall(_SIZE.sub(r"\1 \2", text.lower().replace("ё", "е")))


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def stemmed_text(text: str) -> str:
    """The words of ``text`` as they are indexed: stemmed, and a tyre's rim size ("R16", "R17C",
    the "R22" of "R22.5") also as its bare number, since buyers type "205 55 16" as often as
    "205/55 R16". PostgreSQL's generated vector does the same (migration ``catalog.0010``)."""
    indexed = []
    for stem in stems(text):
        indexed.append(stem)
        rim = _RIM.fullmatch(stem)
        if rim:
            indexed.append(rim.group(1))
    return " ".join(indexed)


def html_to_text(value: str) -> str:
    """The words of a sanitized HTML description, without tags and entities."""
    return html.unescape(nh3.clean(value or "", tags=set())) if value else ""


def query_terms(q: str) -> list[tuple[str, str]]:
    """(word, stem) pairs of a query, at most ``MAX_QUERY_WORDS``, underscores dropped."""
    ws = [w.replace("_", "") for w in words(q)]
    ws = [w for w in ws if w][:MAX_QUERY_WORDS]
    return list(zip(ws, _stemmer().stemWords(ws), strict=True))

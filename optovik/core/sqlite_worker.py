"""SQL statements run on a SQLite file by a process of their own.

SQLite lets one connection at a time write a database file, and two connections in one process
slow each other down (the library's memory allocator is shared and locked); a second process on a
second file writes at full speed. This module is started in a fresh interpreter
(``multiprocessing``'s "spawn"), so it imports nothing but the standard library.
"""

import sqlite3
import time


def run_script(path: str, setup: list[str], rows: list[tuple[str, list[tuple]]], batches: list[list[str]],
               finish: list[str], elapsed) -> None:  # fmt: skip
    """Runs ``setup``, inserts ``rows`` (statement, values), runs each of ``batches`` in a
    transaction of its own, then ``finish``; sets ``elapsed.value`` to the seconds it took."""
    started = time.monotonic()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in setup:
            db.execute(sql)
        for sql, values in rows:
            db.executemany(sql, values)
        for batch in batches:
            db.execute("BEGIN")
            for sql in batch:
                db.execute(sql)
            db.execute("COMMIT")
        for sql in finish:
            db.execute(sql)
    finally:
        db.close()
    elapsed.value = time.monotonic() - started

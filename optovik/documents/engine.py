"""Typst compilation with the fonts shipped in this package, never the system's.

Data goes to a template as one JSON document in ``sys.inputs.data`` and the template decodes it
with ``json(bytes(...))``, so text such as ``#set text(red)`` or ``$x$`` prints as it is written.
A compiler per template is kept and reused: fonts are parsed once per process.
"""

import json
import threading
from pathlib import Path

import typst

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

_lock = threading.Lock()
_fonts: typst.Fonts | None = None
_compilers: dict[str, typst.Compiler] = {}


def _compiler(template: str) -> typst.Compiler:
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS_DIR)])
    if template not in _compilers:
        _compilers[template] = typst.Compiler(
            str(TEMPLATES_DIR / template), root=str(TEMPLATES_DIR), font_paths=_fonts, ignore_system_fonts=True
        )
    return _compilers[template]


def compile_pdf(template: str, data: dict) -> bytes:
    """The PDF of ``templates/<template>`` laid out with ``data`` (JSON-serialisable strings)."""
    payload = json.dumps(data, ensure_ascii=False)
    with _lock:
        # Untagged: tagging costs a tenth of the time of a long table and these forms are printed.
        return _compiler(template).compile(format="pdf", sys_inputs={"data": payload}, pdf_tags=False)

"""Names that come from the file system: shown safely, made into file names safely.

A student id or a file name is whatever bytes the submissions folder holds.  Python hands
undecodable bytes over as lone surrogates (``\\udcff``), which no UTF-8 writer accepts: every
name the grader writes out goes through :func:`shown` first (undecodable bytes become ``\\xff``,
control characters ``\\n``-style escapes), and every file it creates from a name through
:func:`safe_name`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["shown", "is_plain", "safe_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def shown(name: str, controls: bool = True) -> str:
    """``name`` as printable UTF-8 text: undecodable bytes as ``\\xNN``, control characters escaped
    (unless ``controls`` is False: CSV quotes them, and an LMS matches ids exactly).

    Plain names come back unchanged (:func:`is_plain`); the grader keys its results by the name
    itself, so an escaped name that happens to read like another one changes no row.
    """
    if _has_surrogates(name):
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if not controls:
        return name
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Cs") else c
                   for c in name)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in text)


def is_plain(name: str) -> bool:
    """Whether ``name`` is shown as itself (valid UTF-8 without control characters)."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)


def safe_name(text: str) -> str:
    """A file name made from ``text``: ASCII letters, digits, ``._-`` only, unique per input.

    When anything had to change (upper case included, for case-insensitive file systems), a
    short hash of the original is appended, so two different ids never share a feedback
    folder; ``.``/``..`` and names starting with ``-`` or ``.`` cannot come out.
    """
    raw = text.encode("utf-8", "surrogateescape")
    readable = raw.decode("utf-8", "replace")
    ascii_text = unicodedata.normalize("NFKD", readable).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", ascii_text)).strip("._-")[:60]
    if cleaned == text and cleaned == cleaned.lower() and cleaned:
        return cleaned
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"id-{digest}"

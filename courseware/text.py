"""Pure normalisers that let a quotation be compared with the text it comes from, and dates as a
reader says them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher

# Typography that must not make equal words differ: curly quotes and primes, every dash, the
# no-break space. A translation table, not a regular expression: it is fast on large files.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("“”„″", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "\u00a0": " ",
    }
)
# A line-break hyphen of the print layout: "demo-\ncratic" (also across a stray blank line).
_BREAK_HYPHEN = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])")
_ELLIPSIS = re.compile(r"\s*(?:\.\s*\.\s*\.|…)\s*")


def fold(text: str) -> str:
    """Typography to plain characters: curly quotes and primes to ' and ", dashes to -, a no-break
    space to a space.

    >>> print(fold("‘workers’ — “state”"))
    'workers' - "state"
    """
    return text.translate(_FOLD)


def normalise(text: str) -> str:
    """Fold typography so equal words compare equal.

    >>> normalise("‘workers’ state’ —  demo-\\ncratic")
    "'workers' state' - democratic"
    """
    text = unicodedata.normalize("NFKC", text)
    text = _BREAK_HYPHEN.sub("", text)
    text = fold(text)
    return re.sub(r"\s+", " ", text).strip()


def compact(text: str) -> str:
    """`normalise`, then drop every space and dash, so a missing or extra space does not matter.

    >>> compact("the workers’ revolution— a transfer")
    "theworkers'revolutionatransfer"
    """
    return re.sub(r"[\s-]+", "", normalise(text))


def quote_parts(quote: str) -> list[str]:
    """Split a quotation at its elisions ("...", "…"): each part must occur, in order.

    >>> quote_parts("They live Marxist thought ... This thought")
    ['They live Marxist thought', 'This thought']
    """
    return [p for p in (s.strip() for s in _ELLIPSIS.split(quote)) if p]


def occurs_in(quote: str, passage: str) -> bool:
    """True when every part of `quote` occurs verbatim in `passage`, in order, up to typography.

    >>> occurs_in("democracy had ceased ... by 1921", "Soviet democracy had ceased to function by 1921.")
    True
    """
    hay = compact(passage)
    pos = 0
    for part in quote_parts(quote):
        needle = compact(part)
        found = hay.find(needle, pos)
        if not needle or found < 0:
            return False
        pos = found + len(needle)
    return True


def closest_passage(quote: str, passage: str) -> tuple[str, float]:
    """The stretch of `passage` most like `quote`, and how alike (0-1), to say what was meant.

    >>> closest_passage("the soviets were dead", "By 1921 the soviets were weak.")[0]
    'the soviets were weak.'
    """
    words = normalise(passage).split(" ")
    q = normalise(quote)
    n = max(1, len(q.split(" ")))
    best, score = "", 0.0
    for i in range(max(1, len(words) - n + 1)):
        window = " ".join(words[i : i + n])
        ratio = SequenceMatcher(None, q.lower(), window.lower()).ratio()
        if ratio > score:
            best, score = window, ratio
    return best, score


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def readable_when(when: str) -> str:
    """A date of the data (a figure's `when`, an event's new-style `date`) as a reader says it.
    An impossible day (1917-02-30) raises ValueError.

    >>> readable_when("1917-10"), readable_when("1917-spring"), readable_when("1917-11/1918-04")
    ('October 1917', 'spring 1917', 'November 1917 to April 1918')
    >>> readable_when("1917-11-07"), readable_when("1903")
    ('7 November 1917', '1903')
    """
    if "/" in when:
        a, b = when.split("/", 1)
        if len(b) == 2:  # "1917-08/09"
            b = a[:4] + "-" + b
        return f"{readable_when(a)} to {readable_when(b)}"
    parts = when.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and len(parts[1]) == 2:
        day = f"{date(int(parts[0]), int(parts[1]), int(parts[2])).day} " if len(parts) == 3 else ""
        return f"{day}{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2 and parts[1].isalpha():
        return f"{'start of' if parts[1] == 'start' else parts[1]} {parts[0]}"
    return when

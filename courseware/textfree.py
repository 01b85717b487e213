"""The edition without the full texts: for anyone who holds no permission to redistribute them.

`strip_texts(edition)` works on a copy of the course (a release folder, before its book is built).
Each text keeps its provenance card, its headings and its paragraph numbers, so every quotation still
links to its paragraph; but a paragraph keeps only the passages the course quotes from it (in the
data, in a `{q}` of a page, or in quotation marks in an exercise), in their order, with "[…]" for
what is left out, and a paragraph nothing is quoted from says it is not reproduced. The original
transcriptions are replaced by those passages, so the edition validates as it is. Each reader page
says what the edition leaves out and links to the original where its address is known.

`find_leaks(edition, course)` is the check: every run of `WINDOW` words of a text that is not inside a
quoted passage, searched for in every file of the edition (the built book included).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .labels import names_author, surname
from .models import Course, Heading, Paragraph
from .text import compact, normalise, quote_parts
from .yamltext import parse as parse_yaml

GAP = "[…]"
NOT_REPRODUCED = "[This paragraph is not reproduced in this edition: nothing in the course quotes it.]"
WINDOW = 12  # words: a run this long from a text, outside a quotation, counts as reproducing it
MIN_WORDS = 8  # a paragraph shorter than WINDOW is checked whole if it has at least this many words
_Q_ROLE = re.compile(r"\{q\}`[\w-]+\s+\d+\s*:\s*(?P<text>[^`]+)`")
# where a quotation can start or end: double quotes, line ends, and single quotes that are not
# apostrophes (a quotation in a Python string of an exercise, or 'single-quoted' in the prose)
_DELIMITER = re.compile(r"[“”\"\n]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")
_GAP = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]")
BINARY = {  # files that are not text: the scans of an edition pass over them
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".ico",
    ".woff",
    ".woff2",
    ".ttf",
    ".eot",
    ".otf",
    ".pdf",
    ".zip",
    ".gz",
    ".whl",
}
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9']+")
SLACK = 4  # words a run may reach past a quoted passage: prose around a quotation can match by chance


@dataclass(frozen=True)
class Leak:
    """A run of words from a text, not inside any quoted passage, found in a file of the edition."""

    path: str
    source: str
    paragraph: int
    words: str

    def __str__(self) -> str:
        return f"{self.path}: {self.source} ¶{self.paragraph}: “{self.words}”"


# ---- what the course quotes --------------------------------------------------------------------


QUOTE_KEYS = {"text", "context"}  # data fields that hold a text's exact words (quotations, figures)
MIN_SEGMENT = 24  # characters (spaces aside): shorter stretches of prose match a text only by chance


def _strings(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string value of a data file, with the key it is under."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def segments(text: str) -> list[str]:
    """The stretches of `text` between quotation marks and line ends: where a quotation can be.

    >>> segments("He said “all power” and 'more', didn't")
    ['He said ', 'all power', ' and ', 'more', ", didn't"]
    """
    return [s for s in _DELIMITER.split(text) if s.strip()]


def own_files(root: Path) -> list[Path]:
    """The course's own files that may quote the texts: data (less the texts), pages, exercises."""
    data = [
        p for p in sorted((root / "data").rglob("*.yml")) if "texts" not in p.relative_to(root / "data").parts
    ]
    pages = sorted((root / "book").rglob("*.md"))
    exercises = root / "exercises"
    extra = (
        sorted(p for p in exercises.rglob("*") if p.suffix in (".ipynb", ".json", ".md", ".py"))
        if exercises.exists()
        else []
    )
    return data + pages + extra


def quoted_strings(root: Path) -> list[str]:
    """Every string the course could be quoting from the texts: its quotations (`{q}` roles, and the
    `text` and `context` fields of the data), and the stretches of its data, pages and exercises
    between quotation marks, if long enough not to match by chance. Only those that occur in a
    paragraph of a text count (see `passages`): they are shown outside the reader anyway."""
    exact: list[str] = []
    prose: list[str] = []
    for path in own_files(root):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".yml":
            for key, value in _strings(parse_yaml(text)):
                (exact if key in QUOTE_KEYS else prose).append(value)
                prose += segments(value)
            continue
        if path.suffix in (".ipynb", ".json"):
            text = text.replace('\\"', '"').replace("\\n", "\n")
        exact += [m["text"] for m in _Q_ROLE.finditer(text)]
        prose += segments(text)
    return exact + [s for s in prose if len(compact(s)) >= MIN_SEGMENT]


# ---- a paragraph reduced to its quoted passages ------------------------------------------------


def _compact_map(text: str) -> tuple[str, list[int]]:
    """`compact(text)` of a normalised text, and for each of its characters the index in `text`."""
    keep = [(i, ch) for i, ch in enumerate(text) if not re.match(r"[\s-]", ch)]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


def needles(quoted: list[str]) -> list[str]:
    """The quoted strings as `compact` needles, each part of an elided quotation on its own."""
    return sorted({n for q in quoted for part in quote_parts(q) if len(n := compact(part)) >= 8})


def passages(paragraph: str, found: list[str]) -> list[tuple[int, int]]:
    """The spans of `normalise(paragraph)` that some needle (see `needles`) covers, merged, also
    across gaps of mere spaces and punctuation."""
    norm = normalise(paragraph)
    hay, where = _compact_map(norm)
    spans = []
    for needle in found:
        start = hay.find(needle)
        while start >= 0:
            spans.append((where[start], where[start + len(needle) - 1] + 1))
            start = hay.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and (a <= merged[-1][1] or not re.search(r"\w", norm[merged[-1][1] : a])):
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def reduce_paragraph(paragraph: str, found: list[str]) -> str:
    """The paragraph as the edition prints it: its quoted passages in order, "[…]" between.

    >>> reduce_paragraph("One two three. Four five six seven. Eight nine.", needles(["Four five six seven"]))
    '[…] Four five six seven […]'
    """
    norm = normalise(paragraph)
    spans = passages(paragraph, found)
    if not spans:
        return NOT_REPRODUCED
    parts = [norm[a:b].strip() for a, b in spans]
    text = f" {GAP} ".join(parts)
    if norm[: spans[0][0]].strip():
        text = f"{GAP} {text}"
    if norm[spans[-1][1] :].strip(" ."):
        text = f"{text} {GAP}"
    return text


def apparatus(edition: Path, course: Course) -> dict[tuple[str, int], list[str]]:
    """Words a paragraph keeps whatever is quoted, so its citations still check: each citation's
    marker ("[22]", "According to Rigby") and the passage it `covers` (data/citations.yml), and in the
    endnotes and reading lists, the surnames of the works the course's bibliography says it cites."""
    keep: dict[tuple[str, int], list[str]] = {}
    path = edition / "data" / "citations.yml"
    for rec in (parse_yaml(path.read_text(encoding="utf-8")) or []) if path.exists() else []:
        for c in rec.get("cites", []):
            host = (rec["source"], c.get("at") or rec["paragraph"])
            keep.setdefault(host, []).append(compact(c["marker"]))
            if c.get("covers"):
                keep.setdefault((rec["source"], rec["paragraph"]), []).append(compact(c["covers"]))
    for ref in course.bibliography.values():
        for sid in ref.cited_by:
            for p in course.texts[sid].paragraphs if sid in course.texts else []:
                if names_author(p, ref):
                    for m in re.finditer(re.escape(surname(ref)), p.text, re.I):
                        keep.setdefault((sid, p.n), []).append(compact(m.group()))
    return keep


# ---- writing the edition -----------------------------------------------------------------------

READER_PAGE = """# {title}

```{{admonition}} This edition does not reproduce the text
:class: warning
The course holds no permission to redistribute this text (see the file NOTICE), so this edition
gives only what the book quotes from it: each quoted passage in its numbered paragraph, with "[…]"
where words are left out. Every quotation in the book still links to its paragraph here. {original}
```

```{{source-text}} {source}
```
"""


def strip_texts(edition: Path, course: Course) -> list[str]:
    """Reduce every text of the course copy at `edition` to its quoted passages; returns the ids."""
    found = needles(quoted_strings(edition))
    kept = apparatus(edition, course)
    done = []
    for sid, src in course.sources.items():
        text = course.texts.get(sid)
        if text is None:
            continue
        blocks: list[dict[str, object]] = []
        lines: list[str] = []
        for block in text.blocks:
            if isinstance(block, Heading):
                blocks.append({"heading": block.heading})
                lines.append(block.heading)
            else:
                reduced = reduce_paragraph(block.text, found + kept.get((sid, block.n), []))
                blocks.append({"n": block.n, "kind": block.kind, "text": reduced})
                lines.append(reduced)
        data = edition / "data" / "texts" / f"{sid}.yml"
        raw = parse_yaml(data.read_text(encoding="utf-8"))
        raw["blocks"] = blocks  # the loader's own shape, every other field kept
        data.write_text(
            "# This edition reproduces only the passages the course quotes (see NOTICE).\n"
            + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
        (edition / "data" / "texts" / "original" / src.original).write_text(
            "\n\n".join(lines) + "\n", encoding="utf-8"
        )
        page = edition / "book" / "readings" / f"{sid}.md"
        if page.exists():
            original = (
                f"The original: {src.url}"
                if src.url != "unknown"
                else "No public address of the original is known."
            )
            page.write_text(
                READER_PAGE.format(title=_title(page), source=sid, original=original), encoding="utf-8"
            )
        done.append(sid)
    return done


def _title(page: Path) -> str:
    m = re.search(r"^#\s+(.+)$", page.read_text(encoding="utf-8"), re.M)
    return m[1].strip() if m else page.stem


# ---- the check ---------------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, int]]:
    """Lower-case words of a normalised text, with where each starts; apostrophes dropped."""
    out = []
    for m in _WORD.finditer(text.lower()):
        word = m.group().replace("'", "")
        if word:
            out.append((word, m.start()))
    return out


def _words(text: str) -> list[str]:
    """Lower-case words; a "[…]" of this edition is a word no text has, so no run crosses it."""
    return [w for w, _ in _tokens(_GAP.sub(" zzgapzz ", normalise(text)))]


def _windows(words: list[str]) -> Iterator[str]:
    if len(words) < WINDOW:
        if len(words) >= MIN_WORDS:
            yield " ".join(words)
        return
    for i in range(len(words) - WINDOW + 1):
        yield " ".join(words[i : i + WINDOW])


def forbidden(
    course: Course,
    quoted: list[str],
    also: tuple[str, ...] = (),
    kept: dict[tuple[str, int], list[str]] | None = None,
) -> dict[str, tuple[str, int]]:
    """Every run of words of the texts that lies outside the quoted passages (give or take `SLACK`
    words at their edges, and besides the words `kept` per paragraph) → (source, paragraph). Runs
    found in the strings `also` are allowed too."""
    out: dict[str, tuple[str, int]] = {}
    found = needles(quoted)
    extra = {w for text in also for w in _windows(_words(text))}
    for sid, text in course.texts.items():
        for p in text.paragraphs:
            tokens = _tokens(normalise(p.text))
            words = [w for w, _ in tokens]
            inside = [False] * len(tokens)
            for a, b in passages(p.text, found + (kept or {}).get((sid, p.n), [])):
                idx = [k for k, (_, start) in enumerate(tokens) if a <= start < b]
                if idx:
                    for k in range(max(0, idx[0] - SLACK), min(len(tokens), idx[-1] + SLACK + 1)):
                        inside[k] = True
            if len(words) < WINDOW:
                runs = [(0, len(words))] if len(words) >= MIN_WORDS else []
            else:
                runs = [(k, k + WINDOW) for k in range(len(words) - WINDOW + 1)]
            for a, b in runs:
                window = " ".join(words[a:b])
                if not all(inside[a:b]) and window not in extra:
                    out.setdefault(window, (sid, p.n))
    return out


def _references(edition: Path) -> Iterator[str]:
    """Each work of the course's bibliography as its page prints it (author; year, title and details
    run together): the texts' reference lists name the same works in the same words."""
    path = edition / "data" / "bibliography.yml"
    entries = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else []
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict):
            yield " ".join(str(e.get(k, "")) for k in ("author", "year", "title", "publisher"))


def _file_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", errors="ignore")
    if path.suffix.lower() in (".html", ".htm", ".xml", ".svg"):
        raw = _TAG.sub(" ", raw)
    return raw.replace("\\n", " ").replace('\\"', '"')


def _runs_in(words: list[str], heads: dict[tuple[str, str], set[int]], bad: dict[str, object]) -> list[str]:
    """The forbidden runs in `words`, each once, in order. A run is only looked for where its first
    two words are: joining every window of every length would cost ten times as much."""
    found: dict[str, None] = {}
    for i in range(len(words) - 1):
        for n in heads.get((words[i], words[i + 1]), ()):
            window = " ".join(words[i : i + n])
            if window in bad:
                found.setdefault(window)
    return list(found)


def find_leaks(edition: Path, course: Course, quoted: list[str] | None = None) -> list[Leak]:
    """Every file of `edition` that holds a run of a text's words outside the quoted passages.
    `course` is the full course (with the texts); `quoted`, what the edition quotes."""
    # what the course's own files show (its bibliography lists the works the texts' notes list; a
    # description may use a text's words) is in the edition whatever happens to the reader
    own = tuple(_file_text(path) for path in own_files(edition)) + tuple(_references(edition))
    quoted = quoted if quoted is not None else quoted_strings(edition)
    bad = forbidden(course, quoted, own, apparatus(edition, course))
    heads: dict[tuple[str, str], set[int]] = {}
    for window in bad:
        words = window.split(" ")
        heads.setdefault((words[0], words[1]), set()).add(len(words))
    runs: dict[bytes, list[str]] = {}  # by content: a copy of a file (a page's source) is searched once
    leaks: list[Leak] = []
    for path in sorted(p for p in edition.rglob("*") if p.is_file() and p.suffix.lower() not in BINARY):
        text = _file_text(path)
        key = hashlib.blake2b(text.encode("utf-8", errors="ignore"), digest_size=16).digest()
        if key not in runs:
            runs[key] = _runs_in(_words(text), heads, bad)
        for window in runs[key]:
            sid, pn = bad[window]
            leaks.append(Leak(str(path.relative_to(edition)), sid, pn, window))
    return leaks


def paragraph_count(course: Course) -> int:
    return sum(len([b for b in t.blocks if isinstance(b, Paragraph)]) for t in course.texts.values())

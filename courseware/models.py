"""Typed records for the course's data files, and the `Course` that holds them all. No I/O here:
`load` reads, `validate` cross-checks, `data` does both once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Id = str  # lower-case words joined by hyphens or underscores, e.g. "hampton-awl", "soviets"


class Record(BaseModel):
    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- readings and sources -------------------------------------------------------------------


class Reading(Record):
    """A political reading of 1917 (a tradition), voiced by one or more texts."""

    id: Id
    name: str  # "Trotskyist", "ICT left communist", ...
    summary: str  # our words, neutral, one or two sentences
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")  # used in charts and cards; checked for contrast


class Source(Record):
    """One of the five texts, with its provenance. Unknowns are the string "unknown", never guessed."""

    id: Id
    reading: Id
    voice: str  # how the book names this text's voice, e.g. "Trotskyist (IS current)"
    short: str  # short citation label, e.g. "Callinicos 1977"
    current: str
    author: str
    title: str
    published_in: str
    date: str
    url: str
    transcription: str = "unknown"
    notes: str = ""
    original: str  # file under data/texts/original/
    removed: list[str] = []  # lines of the original left out of the reader (a picture caption)


ParagraphKind = Literal["text", "front", "note", "comment", "publisher", "reading"]


class Paragraph(Record):
    """A numbered paragraph of a text. `kind` says what it is: the article's own text, the editor's
    front matter, an endnote, a reader's comment, the publisher's blurb, a further-reading entry."""

    n: int = Field(ge=1)
    kind: ParagraphKind = "text"
    text: str = Field(min_length=1)


class Heading(Record):
    heading: str = Field(min_length=1)


class SourceText(Record):
    """A text as the book prints it: headings and numbered paragraphs, in order."""

    source: Id
    blocks: list[Paragraph | Heading]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


# ---- themes, claims and disagreements -------------------------------------------------------


class Quote(Record):
    """A verbatim quotation, located by source and paragraph. "..." marks an elision."""

    source: Id
    paragraph: int = Field(ge=1)
    text: str = Field(min_length=8)


class Question(Record):
    id: Id
    text: str


class Claim(Record):
    """What one text holds on one question of a theme, in our words, with its own words beside it."""

    question: Id
    source: Id
    position: str  # our words, neutral
    short: str  # a few words for the comparison table
    quotes: list[Quote] = Field(min_length=1)


class Side(Record):
    source: Id
    says: str  # our words
    quote: Quote
    cites: list[Id] = []  # bibliography ids of the scholars this side rests on


class Disagreement(Record):
    """A point where texts contradict each other, on a fact or on its meaning, and why."""

    id: Id
    kind: Literal["fact", "meaning", "date"]
    topic: str
    sides: list[Side] = Field(min_length=2)
    why: str  # our words: different scholars, definitions, dates, calendars


class Silence(Record):
    source: Id
    note: str  # what the text does instead, in our words


class Theme(Record):
    """A chapter's comparative material."""

    id: Id
    number: int = Field(ge=1)
    title: str
    page: str  # the chapter's document name, e.g. "book/chapters/01-soviets"
    questions: list[Question] = Field(min_length=1)
    claims: list[Claim]
    disagreements: list[Disagreement] = []
    silent: list[Silence] = []


# ---- figures, events, turning points ---------------------------------------------------------


class Figure(Record):
    """A number a text gives, with what it counts, when, and the scholar the text cites for it."""

    id: Id
    quantity: Id  # groups comparable figures, e.g. "party-membership"
    label: str  # what is counted, in our words
    value: float
    unit: str = ""
    when: str  # "1917-02", "1917", "1918-1921"...
    year: float  # for charts: 1917.1 for early 1917
    source: Id
    paragraph: int = Field(ge=1)
    context: str  # verbatim from the paragraph: the words that give the number
    cites: list[Id] = []  # bibliography ids; empty when the text names no scholar
    note: str = ""
    # The text's own words for the number when it hedges or rounds it ("Nearly two-thirds",
    # "between two and three million"): wherever the value is shown, these words go with it.
    said: str = ""


class Mention(Record):
    source: Id
    paragraph: int = Field(ge=1)


class Event(Record):
    id: Id
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")  # new style (Gregorian)
    old_style: str = ""  # Julian date where the texts use it, e.g. "25 October 1917"
    title: str
    description: str  # our words
    mentioned_by: list[Mention] = []
    outside: str = ""  # a reference when the event is not in any of the texts


class TurningPoint(Record):
    source: Id
    year: int = Field(ge=1917, le=1930)
    verdict: Literal["advancing", "holding", "degenerating", "lost"]
    reason: str  # our words
    quote: Quote | None = None
    # The text's own words for when, if it names no year ("after the civil war"): `year` is then
    # only where the chart places the verdict, and every view says so.
    undated: str = ""


# ---- citations ------------------------------------------------------------------------------


class Citation(Record):
    """One citation a paragraph makes, in the text's own words.

    `marker` is verbatim in the paragraph (or in paragraph `at`, when that paragraph introduces a
    quotation printed in the next ones): "(Smith 2002)", an endnote mark "[22]", "According to Rigby".
    A citation that closes what it cites (`reach: before`, the default) supports the words from the
    previous marker (or the paragraph's start) up to its own; one that opens it ("According to
    Rigby, ...", `reach: after`) supports the words from it to the next marker or the paragraph's end.
    `covers`, verbatim, narrows either to one passage."""

    ref: Id | None  # bibliography id; None for a person quoted with no work named (then `names`)
    marker: str = Field(min_length=2)
    reach: Literal["before", "after"] = "before"
    at: int | None = Field(default=None, ge=1)
    note: int | None = Field(default=None, ge=1)  # the endnote's paragraph number
    names: str = ""
    covers: str = ""
    comment: str = ""

    @model_validator(mode="after")
    def _ref_or_name(self) -> Citation:
        if self.ref is None and not self.names:
            raise ValueError(
                "give a bibliography id in ref, or, when no work is named, who is quoted in names"
            )
        return self


class ParagraphCitations(Record):
    """Everything one paragraph of a text cites."""

    source: Id
    paragraph: int = Field(ge=1)
    cites: list[Citation] = Field(min_length=1)


# ---- glossary and bibliography ----------------------------------------------------------------


class GlossaryEntry(Record):
    id: Id
    term: str
    definition: str
    see: list[Id] = []


class Reference(Record):
    """A work the texts cite (`cited_by` names them) or, with `outside`, one the course adds to frame
    them; `outside` then says what the course uses it for."""

    id: Id  # "smith-2002"
    author: str
    year: str
    title: str
    publisher: str = ""
    cited_by: list[Id] = []
    outside: str = ""

    @model_validator(mode="after")
    def _cited_or_outside(self) -> Reference:
        if not self.cited_by and not self.outside:
            raise ValueError(
                "name the texts that cite the work in cited_by, or say in outside why the course adds it"
            )
        if self.cited_by and self.outside:
            raise ValueError(
                "a work is either cited by the texts (cited_by) or added by the course "
                "(outside), not both; keep the texts' citation in cited_by"
            )
        return self

    @field_validator("id")
    @classmethod
    def _lower(cls, v: str) -> str:
        if v != v.lower():
            raise ValueError("ids are lower case, e.g. 'smith-2002'")
        return v


class Topic(Record):
    """A broad topic of the numbers chapter's overview table: figure quantities grouped together."""

    topic: str
    quantities: list[Id] = Field(min_length=1)


@dataclass
class DataError(Exception):
    """One or more data files are invalid. `problems` holds one line per problem."""

    problems: list[str]

    def __str__(self) -> str:
        return f"{len(self.problems)} problem(s) in the course data:\n" + "\n".join(
            f"  - {p}" for p in self.problems
        )


@dataclass
class Course:
    """Everything the pages, widgets and exercises read."""

    readings: dict[str, Reading]
    sources: dict[str, Source]
    texts: dict[str, SourceText]
    themes: dict[str, Theme]
    figures: list[Figure]
    events: list[Event]
    turning_points: list[TurningPoint]
    glossary: dict[str, GlossaryEntry]
    bibliography: dict[str, Reference]
    root: Path  # the data folder the course was read from
    citations: list[ParagraphCitations] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

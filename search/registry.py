"""What can be searched: sources and facets that the apps register (search imports no app).

An app describes each searchable thing as a `Document` and registers a `Source` in its
`AppConfig.ready()`: how to build the document of one object (None when the object must not be
found: unpublished, private, deleted) and how to list every indexable object for a rebuild.
Facets (资源类型, 学段, 主题, 课型, 对象) are registered the same way with their labels, so the
search page can name a value without knowing the app behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass
class Document:
    """One searchable thing, as every backend stores it. Text fields are plain text; the
    backends segment them (`search.segment`)."""

    source: str
    object_id: str
    title: str
    url: str
    summary: str = ""
    body: str = ""  # long text: page body, text extracted from attachments
    keywords: str = ""  # facet labels, author, school: found, not shown
    facets: dict[str, list[str]] = field(default_factory=dict)  # {facet key: [value codes]}
    published_at: datetime | None = None
    popularity: int = 0  # downloads or enrolments: the "most downloaded" order
    featured: bool = False  # 精品: ranked a little higher


@dataclass
class Source:
    key: str
    label: str | Promise
    document: Callable[[str], Document | None]  # object id -> document, None = not searchable
    all_ids: Callable[[], Iterable[str]]  # every object that may be searchable, for a rebuild


@dataclass
class Facet:
    key: str
    label: str | Promise
    choices: Callable[[], dict[str, str]]  # {code: label}, in display order
    order: int = 100


SOURCES: dict[str, Source] = {}
FACETS: dict[str, Facet] = {}

# The source itself is a facet (资源 / 课程 / 宣传活动), answered from the registry; and every
# source may say whom a document is for (教师 / 家长), so that facet is defined here too.
SOURCE_FACET = "source"
AUDIENCE_FACET = "audience"
AUDIENCES = {"teachers": _("teachers"), "parents": _("parents")}


def register_source(source: Source) -> None:
    SOURCES[source.key] = source


def register_facet(facet: Facet) -> None:
    FACETS[facet.key] = facet


def facets() -> list[Facet]:
    source_facet = Facet(SOURCE_FACET, _("Content"), lambda: {key: str(s.label) for key, s in SOURCES.items()}, order=0)
    audience_facet = Facet(AUDIENCE_FACET, _("Audience"), lambda: dict(AUDIENCES), order=90)
    return [source_facet, *sorted(FACETS.values(), key=lambda f: f.order), audience_facet]


def get_source(key: str) -> Source | None:
    return SOURCES.get(key)

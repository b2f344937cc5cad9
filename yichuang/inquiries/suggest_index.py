"""The index behind free-question routing (suggest.py): every active service, FAQ entry and post
as BM25 documents (bm25s), with the hall office's synonyms, kept per process.

It is built by the first question, not at import (a worker that never routes a question never
pays for jieba or numpy), and rebuilt when its fingerprint changes: one cheap aggregate per
source (services, FAQ, posts, departments, synonyms: row count and latest change), read at each
question, so an edit in any worker (or the admin) is seen by every worker's next question
without a message between them.

What a document holds, and how much each part weighs (a part repeated counts that many times,
a simple BM25F): a service's name and keywords ×3, its category, department, materials (and
when each is needed) and conditions ×1; an FAQ entry's question and keywords ×2, its answer
and its service's name ×1; a post's name ×2, its department and duties ×1.
"""

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from yichuang.catalog.models import Service
from yichuang.org.models import Department, Post

from . import words
from .models import FaqEntry, Synonym

SERVICE_WEIGHTS = {"name": 3, "keywords": 3, "category": 1, "department": 1}
_PARTS = re.compile(r"[\s（）()【】\[\]/、，,；;：:“”\"]+")


@dataclass
class Entry:
    """One document: what it is, its terms (for the reasons shown) and its pinyin keys."""

    key: Any  # a service's or post's code, an FAQ entry's id
    terms: frozenset[str]
    initials: tuple[str, ...] = ()
    full_pinyin: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)


@dataclass
class Shelf:
    """The documents of one kind and their BM25 index (scores compare within a kind only)."""

    entries: list[Entry]
    bm25: Any = None  # bm25s.BM25, or None without documents

    def scores(self, tokens: list[str]):
        import numpy as np

        if self.bm25 is None:
            return np.zeros(len(self.entries), dtype="float32")
        ids = sorted(set(self.bm25.get_tokens_ids(tokens)))
        if not ids:
            return np.zeros(len(self.entries), dtype="float32")
        return self.bm25.get_scores_from_ids(ids)


@dataclass(frozen=True)
class SynonymLine:
    phrases: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass
class Index:
    fingerprint: tuple
    services: Shelf
    faq: Shelf
    posts: Shelf
    synonyms: list[SynonymLine]
    # post id → positions of its services in `services.entries`
    services_of_post: dict[int, list[int]]


def fingerprint() -> tuple:
    """What changes whenever anything indexed changes: per source, its row count and latest
    change. Services and FAQ entries stamp `updated_at` in their service functions (materials
    are saved with their item), synonyms too; posts and departments are edited rarely, in the
    admin, and have no stamp, so the length of their indexed texts stands in for one; a
    deletion changes a count. One statement, read at every question: written in SQL because
    the ORM's five aggregates cost more to compile than to run."""
    parts = []
    for model, columns in (
        (Service, "COUNT(*), MAX(updated_at)"),
        (FaqEntry, "COUNT(*), MAX(updated_at)"),
        (Synonym, "COUNT(*), MAX(updated_at)"),
        (Post, "COUNT(*), MAX(id), SUM(LENGTH(name) + LENGTH(duties))"),
        (Department, "COUNT(*), SUM(LENGTH(name))"),
    ):
        table = connection.ops.quote_name(model._meta.db_table)
        parts += [f"(SELECT {c} FROM {table})" for c in columns.split(", ")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _parts(text: str) -> list[str]:
    return [p for p in _PARTS.split(text or "") if p]


def _shelf(entries: list[Entry], documents: list[list[str]]) -> Shelf:
    if not entries:
        return Shelf(entries)
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
    # k1 lower than usual: a name repeated three times should not outweigh a second term.
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    bm25.index(documents, show_progress=False)
    return Shelf(entries, bm25)


def _keys(value: str) -> tuple[str, ...]:
    return tuple(k for k in (value or "").split() if k)


def build(stamp: tuple) -> Index:
    services = list(
        Service.objects.filter(is_active=True)
        .select_related("department", "post")
        .prefetch_related("materials")
        .order_by("department__sort_order", "code")
    )
    faq = list(FaqEntry.objects.filter(is_active=True).select_related("department", "service"))
    posts = list(Post.objects.select_related("department"))
    synonyms = [
        SynonymLine(tuple(s.phrases.split()), tuple(s.terms.split()))
        for s in Synonym.objects.filter(is_active=True)
    ]
    # The hall's own vocabulary, whole: names' parts, keywords, synonyms, materials.
    vocabulary: set[str] = set()
    for s in services:
        vocabulary.update(_parts(s.name), s.keywords.split(), _parts(s.category))
        vocabulary.update(p for m in s.materials.all() for p in _parts(m.name))
    for f in faq:
        vocabulary.update(f.keywords.split())
    for p in posts:
        vocabulary.update(_parts(p.name))
    for line in synonyms:
        vocabulary.update(line.phrases, line.terms)
    words.add_words(vocabulary)

    service_entries: list[Entry] = []
    service_docs: list[list[str]] = []
    services_of_post: dict[int, list[int]] = {}
    for s in services:
        materials = " ".join(f"{m.name} {m.condition}" for m in s.materials.all())
        doc = (
            words.terms(s.name) * SERVICE_WEIGHTS["name"]
            + words.terms(s.keywords) * SERVICE_WEIGHTS["keywords"]
            + words.terms(s.category) * SERVICE_WEIGHTS["category"]
            + words.terms(s.department.name) * SERVICE_WEIGHTS["department"]
            + words.terms(materials)
            + words.terms(s.conditions)
        )
        services_of_post.setdefault(s.post_id, []).append(len(service_entries))
        service_entries.append(
            Entry(
                key=s.code,
                terms=frozenset(doc),
                initials=_keys(s.pinyin_initials),
                full_pinyin=_keys(s.pinyin),
                data={
                    "code": s.code,
                    "name": s.name,
                    "department": s.department.code,
                    "department_name": s.department.name,
                    "post_id": s.post_id,
                    "online": s.online,
                },
            )
        )
        service_docs.append(doc)

    faq_entries: list[Entry] = []
    faq_docs: list[list[str]] = []
    for f in faq:
        doc = (
            (words.terms(f.question) + words.terms(f.keywords)) * 2
            + words.terms(f.answer)
            + (words.terms(f.service.name) if f.service is not None else [])
        )
        faq_entries.append(
            Entry(
                key=f.pk,
                terms=frozenset(doc),
                initials=_keys(f.pinyin_initials),
                full_pinyin=_keys(f.pinyin),
                data={
                    "id": f.pk,
                    "question": f.question,
                    "answer": f.answer,
                    "department_name": f.department.name if f.department is not None else "",
                    "service_name": f.service.name if f.service is not None else "",
                    "is_public": f.is_public,
                },
            )
        )
        faq_docs.append(doc)

    post_entries: list[Entry] = []
    post_docs: list[list[str]] = []
    for p in posts:
        doc = words.terms(p.name) * 2 + words.terms(p.department.name) + words.terms(p.duties)
        post_entries.append(
            Entry(
                key=p.code,
                terms=frozenset(doc),
                data={
                    "id": p.pk,
                    "code": p.code,
                    "name": p.name,
                    "department_name": p.department.name,
                },
            )
        )
        post_docs.append(doc)

    return Index(
        fingerprint=stamp,
        services=_shelf(service_entries, service_docs),
        faq=_shelf(faq_entries, faq_docs),
        posts=_shelf(post_entries, post_docs),
        synonyms=synonyms,
        services_of_post=services_of_post,
    )


_lock = threading.Lock()
_current: Index | None = None


def current() -> Index:
    """The process's index, rebuilt first if anything indexed has changed since it was built."""
    global _current
    stamp = fingerprint()
    index = _current
    if index is not None and index.fingerprint == stamp:
        return index
    with _lock:
        if _current is None or _current.fingerprint != stamp:
            _current = build(stamp)
        return _current


def forget() -> None:
    """Drop the process's index (tests that change the rules of building it)."""
    global _current
    _current = None

"""引导服务: where a free question should go — the services, FAQ entries and posts that answer
it, best first, each with the words that matched (the reason shown). One function for inquiry
logging, the portal's search box, online consultation and `GET /api/v1/suggest`.

How a question is scored (within each kind, by the index of suggest_index.py):
- BM25 over its words (weight 1) and its two-character pieces (weight 0.5: they forgive a
  misspelt character or a different cut, but a whole word should win);
- the hall office's synonyms: a question containing one of a line's phrases (丢了) is also
  searched for its terms (补办), weight 0.7 — what people say is not what the catalogue says;
- pinyin initials: an ASCII word of two letters or more found inside the initials of a name
  or keyword (xsz in xszbb, 学生证补办), or of four or more inside the full pinyin, scores like
  a rare word, more the more of the key it covers;
- a post scores what its best service scores, or its own name and duties if better.
A result is kept when it scores at least RELATIVE of the best of its kind.
"""

import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid, RateLimited
from yichuang.core.ratelimits import guard_suggestion
from yichuang.org.models import Staff
from yichuang.org.queries import covering_posts

from . import suggest_index, words

MAX_QUERY = 200
PIECE_WEIGHT = 0.5
SYNONYM_WEIGHT = 0.7
INITIALS_WEIGHT = 2.0
RELATIVE = 0.3
LIMITS = {"services": 5, "faq": 3, "posts": 3}


@dataclass
class Hit:
    """One suggestion: what (`data`, as indexed), how well, and why."""

    key: object
    score: float
    matched: list[str]
    data: dict


@dataclass
class PostHit(Hit):
    covering: Staff | None = None  # who takes the post's work now (AB岗), or nobody
    via: str = ""  # the service that made the post come up


@dataclass
class Suggestions:
    query: str
    services: list[Hit] = field(default_factory=list)
    faq: list[Hit] = field(default_factory=list)
    posts: list[PostHit] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.services or self.faq or self.posts)


def clean_query(q: str | None) -> str:
    """The question trimmed, or Invalid (400) when empty or longer than MAX_QUERY."""
    q = (q or "").strip()
    if not q:
        raise Invalid(_("请输入要咨询或查找的问题"), code="query_required")
    if len(q) > MAX_QUERY:
        raise Invalid(
            _("问题过长（最多 %(n)d 字），请简要描述") % {"n": MAX_QUERY}, code="query_too_long"
        )
    return q


@dataclass
class _Question:
    text: str  # normalized
    words: list[str]
    pieces: list[str]
    ascii: list[str]
    expansions: list[tuple[str, str]]  # (phrase said, term searched)


def _read(q: str, index) -> _Question:
    text = words.normalize(q)
    terms = words.terms(q)
    found = [t for t in terms if not t.startswith(words.BIGRAM) and not t.isascii()]
    expansions = [
        (phrase, term)
        for line in index.synonyms
        for phrase in line.phrases
        if phrase in text
        for term in line.terms
        if term != phrase
    ]
    return _Question(
        text=text,
        words=list(dict.fromkeys(found)),
        pieces=list(dict.fromkeys(t for t in terms if t.startswith(words.BIGRAM))),
        ascii=[t for t in dict.fromkeys(words.ascii_words(q)) if len(t) >= 2],
        expansions=list(dict.fromkeys(expansions)),
    )


def _initials_scores(shelf, question: _Question):
    """Per document, the pinyin score of the question's ASCII words, and which matched."""
    n = len(shelf.entries)
    scores = [0.0] * n
    matched: list[list[str]] = [[] for _i in range(n)]
    for token in question.ascii:
        found = []
        for i, entry in enumerate(shelf.entries):
            keys = [k for k in entry.initials if token in k]
            if len(token) >= 4:
                keys += [k for k in entry.full_pinyin if token in k]
            if keys:
                found.append((i, max(len(token) / len(k) for k in keys)))
        if not found:
            continue
        rarity = math.log(1 + n / len(found))
        for i, cover in found:
            scores[i] += INITIALS_WEIGHT * rarity * (0.5 + 0.5 * cover)
            matched[i].append(token)
    return scores, matched


def _score(shelf, question: _Question):
    scores = shelf.scores(question.words) + PIECE_WEIGHT * shelf.scores(question.pieces)
    extra = [t for _p, term in question.expansions for t in words.terms(term)]
    extra = [t for t in extra if t not in question.words and t not in question.pieces]
    if extra:
        scores = scores + SYNONYM_WEIGHT * shelf.scores(extra)
    initials, by_initials = _initials_scores(shelf, question)
    return [float(s) + i for s, i in zip(scores, initials, strict=True)], by_initials


def _matched_pieces(question: _Question, terms: frozenset[str]) -> list[str]:
    """The longest stretches of the question whose every two-character piece is in the
    document: 学生证 for a document with 学生 and 生证, however jieba cut either."""
    found = []
    for run in words.chinese_runs(question.text):
        i = 0
        while i < len(run) - 1:
            j = i
            while j < len(run) - 1 and words.BIGRAM + run[j : j + 2] in terms:
                j += 1
            if j > i:
                piece = run[i : j + 1].strip("".join(words.STOP_CHARACTERS))
                if len(piece) >= 2 and piece not in words.STOP_WORDS:
                    found.append(piece)
                i = j + 1
            else:
                i += 1
    return found


def _reasons(question: _Question, entry, by_initials: list[str]) -> list[str]:
    said = [w for w in question.words if w in entry.terms]
    said += _matched_pieces(question, entry.terms)
    said = [w for w in dict.fromkeys(said) if not any(w != o and w in o for o in said)]
    meant: dict[str, list[str]] = {}
    for phrase, term in question.expansions:
        if any(t in entry.terms for t in words.terms(term)):
            meant.setdefault(phrase, []).append(term)
    return said + [f"{p}→{'/'.join(ts)}" for p, ts in meant.items()] + by_initials


def _ranked(shelf, question: _Question, *, limit: int, keep=None) -> list[Hit]:
    if not shelf.entries:
        return []
    scores, by_initials = _score(shelf, question)
    order = sorted(
        (i for i, s in enumerate(scores) if s > 0 and (keep is None or keep(shelf.entries[i]))),
        key=lambda i: (-scores[i], i),
    )
    if not order:
        return []
    best = scores[order[0]]
    kept = [i for i in order if scores[i] >= RELATIVE * best][:limit]
    return [
        Hit(
            key=shelf.entries[i].key,
            score=round(scores[i], 3),
            matched=_reasons(question, shelf.entries[i], by_initials[i]),
            data=shelf.entries[i].data,
        )
        for i in kept
    ]


def _posts(index, question: _Question, services: list[Hit]) -> list[PostHit]:
    """Each post's best reason to come up: its own name and duties, or its best service."""
    by_post: dict[int, PostHit] = {}
    for hit in _ranked(index.posts, question, limit=LIMITS["posts"]):
        by_post[hit.data["id"]] = PostHit(hit.key, hit.score, hit.matched, hit.data)
    entries = {e.data["id"]: e for e in index.posts.entries}
    for s in services:
        post = entries.get(s.data["post_id"])
        if post is None:
            continue
        mine = by_post.get(post.data["id"])
        if mine is None or s.score > mine.score:
            by_post[post.data["id"]] = PostHit(
                post.key, s.score, s.matched, post.data, via=s.data["name"]
            )
    ranked = sorted(by_post.values(), key=lambda h: -h.score)
    if not ranked:
        return []
    best = ranked[0].score
    return [h for h in ranked if h.score >= RELATIVE * best][: LIMITS["posts"]]


def _with_cover(hits: list[PostHit]) -> list[PostHit]:
    """Who takes each post's work right now (AB岗), read when asked: presence changes by
    the minute and is never in the index."""
    if not hits:
        return hits
    who = covering_posts([h.data["id"] for h in hits], timezone.now())
    for hit in hits:
        hit.covering = who.get(hit.data["id"])
    return hits


def suggest(q: str, *, public: bool = True) -> Suggestions:
    """Where the free question `q` should go. `public` leaves out FAQ entries not published
    on the portal (staff logging an inquiry see them all). Raises Invalid for an empty or
    overlong question."""
    q = clean_query(q)
    index = suggest_index.current()
    question = _read(q, index)
    services = _ranked(index.services, question, limit=LIMITS["services"])
    public_only = (lambda e: e.data["is_public"]) if public else None
    faq = _ranked(index.faq, question, limit=LIMITS["faq"], keep=public_only)
    posts = _with_cover(_posts(index, question, services))
    return Suggestions(query=q, services=services, faq=faq, posts=posts)


def public_context(request, q: str) -> dict:
    """The public suggestions for `q` as a template's context (`found`, or `limited` past the
    address's rate, SUGGEST_RATE): the portal's search box and the consultation form as the
    person types. Only the last MAX_QUERY characters count: what is being typed now."""
    q = (q or "").strip()[-MAX_QUERY:]
    if not q:
        return {"found": None, "q": q, "staff": False}
    try:
        guard_suggestion(request)
    except RateLimited as exc:
        return {"found": None, "q": q, "staff": False, "limited": exc.message}
    return {"found": suggest(q, public=True), "q": q, "staff": False}

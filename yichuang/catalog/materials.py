"""What makes two materials "the same document" across services: one key from the name.

Catalogues name the same paper slightly differently from item to item ("居民身份证（复印件）",
"居民身份证复印件", "居民身份证 复印件"): the key folds width and case (NFKC, casefold) and keeps
only letters and digits, so punctuation, brackets and spaces do not separate them. It stays
deliberately literal — no synonyms — so that two different papers are never merged: a wrong
match would let an applicant skip a document. Used by materials reuse (cases.reuse) and by
anything that deduplicates materials across services (bundles)."""

import unicodedata


def material_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))

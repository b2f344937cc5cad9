"""Pinyin search keys for Chinese names (service items, FAQ entries)."""

import re


def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name, lower case letters and digits only, for search:
    成绩证明 → ("cjzm", "chengjizhengming").

    pypinyin loads its phrase dictionary (about 55 MiB) when imported, so it is imported
    here, by the first name that needs keys, not by every process that imports this module."""
    from pypinyin import Style, lazy_pinyin

    def clean(parts):
        return re.sub(r"[^a-z0-9]", "", "".join(parts).lower())

    return clean(lazy_pinyin(name, style=Style.FIRST_LETTER)), clean(lazy_pinyin(name))


def word_list(value: str) -> str:
    """Keywords as typed (spaces, commas or 、 between them) as one space-separated list,
    each word once: "丢了，遗失 丢了" → "丢了 遗失"."""
    words = [w for w in re.split(r"[\s,，、;；]+", value or "") if w]
    return " ".join(dict.fromkeys(words))


def search_keys(name: str, keywords: str = "") -> tuple[str, str]:
    """Pinyin keys of a name and of each of its keywords, space-separated, so that the
    initials of an alias find the thing too: ("xszbb bxsz", "xueshengzhengbuban buxueshengzheng")."""
    keys = [pinyin_keys(p) for p in [name, *keywords.split()] if p]
    return " ".join(k[0] for k in keys if k[0]), " ".join(k[1] for k in keys if k[1])

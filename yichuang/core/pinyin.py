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

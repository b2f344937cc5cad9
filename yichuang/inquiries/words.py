"""Words of a free Chinese question, for the routing of free questions (suggest.py).

A question has no spaces, people misspell (再读证明, 学生正) and mix in pinyin initials (xsz丢了),
so a text becomes three kinds of terms:
- words, by jieba (学生证, 补办), which rank a whole-word match highest;
- two-character pieces of each Chinese run (学生, 生证, 证丢 …), marked with a leading "~",
  which still match when jieba cuts a word differently in the question and in the catalogue,
  or one character of it is wrong;
- ASCII words (xsz, cet4), which the index compares with pinyin initials.

jieba is loaded by the first question, never at import: with its full dictionary it costs a
worker about 50 MiB (issue 18). Only words seen at least MIN_FREQUENCY times in jieba's corpus
are kept (about 52,000 of 349,000; jieba then costs ~17 MiB): on the evaluation set
(tests/suggest_eval.csv) the hit rates were the same with 5, 20 and 50, with and without the
hall's synonyms, because the two-character pieces catch what a missing word would have, and
the catalogue's own names, keywords and the synonym list are added as words.
"""

import logging
import os
import re
import tempfile
import threading
import unicodedata

MIN_FREQUENCY = 50
BIGRAM = "~"

# Words every question has: they would match everything and rank nothing.
STOP_WORDS = frozenset(
    """请问 我想 想问 一下 怎么 怎样 如何 什么 可以 需要 哪里 哪儿 是否 办理 你好 您好 老师 谢谢 问题
    咨询 我们 你们 他们 我的 自己 这个 那个 现在 时候 能不能 可不可以 有没有 是不是 还是 或者
    应该 一个 因为 所以 但是 如果 要求 想要 申请 办 的 了 吗 呢 吧 啊 我 你 他 她 是 在 有 和 与
    及 要 啥 咋 去 来 能 会 把 被 给 让 就 都 也 还 又 很 太 不 没 找 谁 哪 几 个 下 上 中""".split()
)
# A piece made only of these characters carries no meaning (我的, 了吗, 怎么).
STOP_CHARACTERS = frozenset(
    "的了吗呢吧啊我你他她是在有和与及要啥咋去来能会把被给让就都也还又很太不没怎么么样"
)

_RUNS = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
_lock = threading.Lock()
_tokenizer = None
_added: set[str] = set()


def normalize(text: str) -> str:
    """Full-width letters and digits to half-width (ｘｓｚ → xsz), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _small_dictionary() -> str:
    """jieba's dictionary without its rare words, written once per machine (jieba then keeps
    its own cache of the prefix dictionary beside it)."""
    import jieba

    path = os.path.join(
        tempfile.gettempdir(), f"yichuang-jieba-{jieba.__version__}-min{MIN_FREQUENCY}.txt"
    )
    if not os.path.exists(path):
        with jieba.get_dict_file() as source:
            lines = [
                line
                for line in source.read().decode("utf-8").splitlines()
                if len(parts := line.split()) >= 2 and int(parts[1]) >= MIN_FREQUENCY
            ]
        partial = f"{path}.{os.getpid()}.part"
        with open(partial, "w", encoding="utf-8") as target:
            target.write("\n".join(lines) + "\n")
        os.replace(partial, path)  # another worker writing the same file wins or loses whole
    return path


def tokenizer():
    """The process's jieba tokenizer (its own instance: jieba's global one stays untouched)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer(_small_dictionary())
                made.initialize()
                _tokenizer = made
    return _tokenizer


def add_words(words) -> None:
    """Teach the tokenizer the catalogue's and the synonym list's own words (学生证补办,
    勤工俭学), so a question cuts where the catalogue does."""
    new = [w for w in words if len(w) >= 2 and w not in _added and not w.isascii()]
    if not new:
        return
    tk = tokenizer()
    with _lock:
        for word in new:
            tk.add_word(word)  # jieba picks a frequency that keeps the word whole
            _added.add(word)


def terms(text: str) -> list[str]:
    """The terms of `text`, in order, with repeats (a longer field weighs more)."""
    tk = tokenizer()
    result: list[str] = []
    for run in _RUNS.findall(normalize(text)):
        if run.isascii():
            result.append(run)
            continue
        for word in tk.cut_for_search(run, HMM=False):
            if len(word) >= 2 and word not in STOP_WORDS:
                result.append(word)
        result.extend(BIGRAM + piece for piece in pieces(run))
    return result


def pieces(run: str) -> list[str]:
    """The meaningful two-character pieces of a Chinese run."""
    found = (run[i : i + 2] for i in range(len(run) - 1))
    return [p for p in found if p not in STOP_WORDS and not set(p) <= STOP_CHARACTERS]


def ascii_words(text: str) -> list[str]:
    return [run for run in _RUNS.findall(normalize(text)) if run.isascii()]


def chinese_runs(text: str) -> list[str]:
    return [run for run in _RUNS.findall(normalize(text)) if not run.isascii()]

"""Chinese segmentation: one tokenizer, one dictionary, one synonym table, at index and query time.

Chinese has no spaces, so neither PostgreSQL nor Elasticsearch can cut it into words. Text is
cut here with jieba before it is stored, and a query is cut by the same function, so a word is
found exactly when it was indexed. Both backends then only split on spaces.

- `dictionary/xinyu.txt`: the domain's words jieba would otherwise cut apart (心理健康活动课, 主题班团队会, 考前焦虑 …).
- `dictionary/synonyms.txt`: groups of words that mean the same to a teacher; every word of a
  group is replaced by the group's first word on both sides.
- Mixed text: Latin words are lower-cased ("ABC" finds "abc"), full-width forms folded (NFKC),
  and a date written 10·10 / 10.10 / 10・10 is one token, "10.10".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionary"
# A query longer than this is cut: nobody types more, and a pasted page must stay cheap.
MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 12

_DATE_DOT = re.compile(r"(?<=\d)\s*[·•・‧∙．.]\s*(?=\d)")
# A token is kept when it has a letter or digit: punctuation, spaces and emoji carry no meaning here.
_WORDLIKE = re.compile(r"\w", re.UNICODE)
_STRIP = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DICTIONARY_DIR / "xinyu.txt"))
    for word in synonyms():
        tokenizer.add_word(word, freq=20)
    return tokenizer


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """{word: canonical word} from `dictionary/synonyms.txt`."""
    table: dict[str, str] = {}
    for line in (DICTIONARY_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        for word in words:
            table[normalise(word)] = normalise(words[0])
    return table


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _DATE_DOT.sub(".", text)


def _canonical(token: str) -> str | None:
    token = _STRIP.sub("", token)
    if not token or not _WORDLIKE.search(token):
        return None
    return synonyms().get(token, token)


def tokens(text: str) -> list[str]:
    """Index-time tokens: every word and, for long words, the words inside them (jieba's
    search mode), so a query for 心理健康 finds a text about 心理健康教育."""
    result = []
    for raw in _tokenizer().cut_for_search(normalise(text)):
        token = _canonical(raw)
        if token:
            result.append(token)
    return result


def query_tokens(query: str) -> list[str]:
    """Query-time tokens: the same tokenizer, dictionary and synonyms in precise mode (every
    precise-mode word is among the index-time tokens), without repeats, bounded in number."""
    seen: list[str] = []
    for raw in _tokenizer().cut(normalise(query[:MAX_QUERY_CHARS])):
        token = _canonical(raw)
        if token and token not in seen:
            seen.append(token)
    return seen[:MAX_QUERY_TOKENS]


def segment(text: str) -> str:
    """The text as space-separated tokens: what the backends store."""
    return " ".join(tokens(text))


def surface_forms(query: str) -> list[str]:
    """Words to mark in a snippet: the query's tokens and every synonym of each."""
    canon = query_tokens(query)
    forms = set(canon)
    for word, canonical in synonyms().items():
        if canonical in canon:
            forms.add(word)
    return sorted(forms, key=len, reverse=True)

"""The parsers' word lists, read from ``flows/data/words.<lang>.toml`` (one file per language) and
``flows/data/options.toml`` (what does not depend on the language).

Entries are folded like the text they are compared with (:func:`flows.parsing.common.words`), so a
list may be written with accents and apostrophes. Adding a language adds a file, never code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from flows.parsing.common import words

_PREFIX, _SUFFIX = "words.", ".toml"


@cache
def word_files() -> dict[str, dict[str, Any]]:
    """Language code → the parsed ``words.<lang>.toml`` file, for every such file."""
    folder = resources.files("flows").joinpath("data")
    files: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        name = entry.name
        if name.startswith(_PREFIX) and name.endswith(_SUFFIX):
            files[name[len(_PREFIX) : -len(_SUFFIX)]] = tomllib.loads(entry.read_text(encoding="utf-8"))
    return files


@cache
def option_facts() -> dict[str, Any]:
    """The language-neutral ``options.toml``: option groups, "I don't know" options, place questions."""
    text = resources.files("flows").joinpath("data/options.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def section(lang: str, *path: str) -> Any:
    """The value at ``path`` in one language's file (an empty dict when absent)."""
    node: Any = word_files().get(lang, {})
    for name in path:
        node = node.get(name, {}) if isinstance(node, dict) else {}
    return node


def _folded(entries: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(folded for entry in entries if (folded := words(entry))))


@cache
def phrases(lang: str, *path: str) -> tuple[str, ...]:
    """The folded entries of one list in ``lang``'s file (empty when the list is absent)."""
    found = section(lang, *path)
    return _folded(found) if isinstance(found, list) else ()


@cache
def every_language(*path: str) -> tuple[str, ...]:
    """The folded entries of one list, in every language's file (people mix languages)."""
    return tuple(dict.fromkeys(entry for lang in word_files() for entry in phrases(lang, *path)))


@cache
def tokens(*path: str) -> frozenset[str]:
    """Every single word of one list, in every language's file."""
    return frozenset(token for entry in every_language(*path) for token in entry.split())


@cache
def named_lists(lang: str, *path: str) -> dict[str, tuple[str, ...]]:
    """A table of lists in ``lang``'s file (e.g. option value → its words), each folded."""
    found = section(lang, *path)
    if not isinstance(found, dict):
        return {}
    return {name: _folded(entries) for name, entries in found.items() if isinstance(entries, list)}


@cache
def names_of_words(*path: str) -> dict[str, str]:
    """A table of lists read in every language, turned around: folded word → the list's name
    (e.g. 'sint' → 'st', 'k' → '1000')."""
    return {
        word: name
        for lang in word_files()
        for name, listed in named_lists(lang, *path).items()
        for word in listed
    }

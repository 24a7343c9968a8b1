"""docs/maintaining.md tells the truth (issue 20 item 8): every file it lists exists, each heading's
count is the length of its list, and the table says the same counts."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import LANGS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "maintaining.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^## (?P<title>.+): (?P<count>\d+) files$", re.M)
BULLET = re.compile(r"^- `(?P<path>[^`]+)`", re.M)
WORDS = {"six": 6}


def files_of(pattern: str) -> list[Path]:
    """The files a listed path stands for: one per language for ``{fr,nl,en}`` and ``<xx>``, every
    file of the folder for ``locales/<xx>/*.toml`` (counted in one language)."""
    if "{fr,nl,en}" in pattern:
        return [ROOT / pattern.replace("{fr,nl,en}", lang) for lang in LANGS]
    if pattern == "locales/<xx>/*.toml":
        return sorted((ROOT / "locales" / "en").glob("*.toml"))
    return [ROOT / pattern.replace("<xx>", "en")]


def sections() -> dict[str, tuple[int, list[Path]]]:
    """Title → (count said, files listed) for each heading that gives a count."""
    found: dict[str, tuple[int, list[Path]]] = {}
    headings = list(HEADING.finditer(DOC))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(DOC)
        body = DOC[heading.end() : end].split("\n## ")[0]
        files = [file for bullet in BULLET.finditer(body) for file in files_of(bullet["path"])]
        above = re.search(r"^The (\w+) above", body, re.M)
        if above:
            previous = list(found.values())[-1][1]
            assert WORDS[above[1]] == len(previous)
            files = previous + files
        found[heading["title"].lower()] = (int(heading["count"]), files)
    return found


def test_every_listed_file_exists() -> None:
    missing = [str(file.relative_to(ROOT)) for _, files in sections().values() for file in files]
    assert [name for name in missing if not (ROOT / name).is_file()] == []


def test_each_count_is_the_length_of_its_list() -> None:
    counts = {title: (said, len(files)) for title, (said, files) in sections().items()}
    assert {title: said for title, (said, _) in counts.items()} == {t: n for t, (_, n) in counts.items()}
    assert len(counts) >= 4


def test_the_table_says_the_same_counts() -> None:
    rows = dict(re.findall(r"^\| (a [^|]+?) \| (\d+)", DOC, re.M))
    for title, (said, _) in sections().items():
        assert int(rows[title]) == said, title


def test_a_language_counts_every_locale_file() -> None:
    said, files = sections()["a language"]
    assert len([f for f in files if f.parent.name == "en" and f.parent.parent.name == "locales"]) == len(
        list((ROOT / "locales" / "en").glob("*.toml"))
    )
    assert said == len(files)

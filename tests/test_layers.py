"""The layers hold: the engine imports nothing outside itself, the dialogue knows nothing of
Telegram, and everything outside the engine reaches it only through its public API (``bot.engine``)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import bot.engine

ROOT = Path(__file__).resolve().parents[1]


def imports(folder: str) -> Iterator[tuple[Path, str]]:
    """(file, imported module) for every absolute import under ``folder``."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name


def test_the_engine_imports_nothing_outside_itself() -> None:
    ours = ("bot", "flows", "locales", "tests", "bench")
    leaks = [
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in imports("bot/engine")
        if module.split(".")[0] in ours and not module.startswith("bot.engine")
    ]
    assert leaks == []


def test_the_dialogue_knows_nothing_of_telegram() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in imports("flows")
        if module.split(".")[0] == "telegram" or module.startswith(("bot.telegram", "bot.store"))
    ]
    assert leaks == []


def test_only_the_public_engine_api_is_imported_from_outside() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {module}"
        for folder in ("bot", "flows", "tests", "bench")
        for path, module in imports(folder)
        if module.startswith("bot.engine.") and not path.is_relative_to(ROOT / "bot" / "engine")
    ]
    assert leaks == []


def test_the_public_api_names_exist() -> None:
    assert {"assess", "Answers", "Assessment", "CONTRACT_VERSION"} <= set(bot.engine.__all__)
    missing = [name for name in bot.engine.__all__ if not hasattr(bot.engine, name)]
    assert missing == []

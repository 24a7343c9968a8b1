"""The Docker image's files, checked without a container engine: the build context the
.dockerignore leaves, the Dockerfile's layers and settings, the lock file against pyproject.toml,
and the compose example against the settings the code reads."""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
LOCK = ROOT / "requirements.lock"
MAX_CONTEXT_BYTES = 10 * 1024 * 1024


def _pattern(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regex (Go's filepath.Match plus ``**``, as Docker reads it)."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            if pattern.startswith("/", i):
                out += "/?"
                i += 1
            continue
        char = pattern[i]
        out += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        i += 1
    return re.compile(out)


@cache
def ignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        rules.append((negated, _pattern(line.removeprefix("!").strip("/"))))
    return rules


def excluded(path: str) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for negated, rule in ignore_rules():
        if any(rule.fullmatch(candidate) for candidate in candidates):
            result = not negated
    return result


@cache
def build_context() -> dict[str, int]:
    """Every file Docker would send (relative path → size), from the worktree as it is now."""
    sent: dict[str, int] = {}
    for folder, dirs, files in os.walk(ROOT):
        rel_folder = os.path.relpath(folder, ROOT)
        # .git and .venv are large: prune them once they are known to be excluded.
        dirs[:] = [d for d in dirs if not (d in (".git", ".venv", "node_modules") and excluded(d))]
        for name in files:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            if not excluded(rel):
                sent[rel] = (Path(folder) / name).stat().st_size
    return sent


def test_the_build_context_holds_the_code_and_no_personal_data(tmp_path: Path) -> None:
    for private in (".git/config", ".venv/bin/python", "data/guichet.sqlite3", "data/heartbeat", ".env"):
        assert excluded(private), private
    for path in ("bot/__pycache__/cli.cpython-311.pyc", "bot/x.sqlite3-wal", "bot/.env", "tests/test_cli.py"):
        assert excluded(path), path
    context = build_context()
    for needed in ("pyproject.toml", "README.md", "requirements.lock", "bot/cli.py", "flows/machine.py"):
        assert needed in context, needed
    assert any(p.startswith("locales/fr/") for p in context)
    assert any(p.startswith("bot/engine/data/") and p.endswith(".csv") for p in context)
    assert not [p for p in context if p.startswith(("data/", ".venv/", ".git/", "tests/", "bench/"))]
    assert not [p for p in context if re.search(r"\.sqlite3?(-|$)|__pycache__|\.pyc$|(^|/)\.env$", p)]
    assert sum(context.values()) < MAX_CONTEXT_BYTES


def test_every_file_the_dockerfile_copies_is_in_the_context() -> None:
    context = build_context()
    sources = [
        src
        for line in DOCKERFILE.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for src in line.split()[1:-1]
    ]
    assert sources
    for src in sources:
        assert src in context or any(p.startswith(f"{src}/") for p in context), src


def test_the_base_is_pinned_and_dependencies_are_a_layer_before_the_code() -> None:
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, re.M)
    assert base is not None
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", base[1])
    assert all(
        line == "FROM ${PYTHON_IMAGE}" or line.startswith("FROM ${PYTHON_IMAGE} AS ")
        for line in DOCKERFILE.splitlines()
        if line.startswith("FROM ")
    )
    lines = DOCKERFILE.splitlines()
    lock_install = next(i for i, line in enumerate(lines) if "-r /tmp/requirements.lock" in line)
    first_code = next(i for i, line in enumerate(lines) if line.startswith("COPY bot "))
    assert lock_install < first_code
    assert "--no-deps" in DOCKERFILE, "the wheel must not pull unlocked dependencies"


def test_the_image_is_a_deployment() -> None:
    env = dict(re.findall(r"\b(GUICHET_[A-Z_]+)=(\S+)", DOCKERFILE.split("FROM ${PYTHON_IMAGE}\n")[-1]))
    assert env["GUICHET_REQUIRE_TOKEN"] == "1"
    assert env["GUICHET_WEBHOOK_LISTEN"] == "0.0.0.0"
    assert env["GUICHET_DATA_DIR"] == "/data"
    assert re.search(r"^USER 10001:10001$", DOCKERFILE, re.M)
    assert re.search(r'CMD \["guichet", "health"\]', DOCKERFILE)
    # Settings(...) accepts every GUICHET_ variable the image sets.
    aliases = {field.validation_alias for field in Settings.model_fields.values()}
    assert set(env) <= aliases


def test_the_lock_pins_every_dependency_within_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} outside {requirement}"
    assert "sniffio" not in pins and "tornado" not in pins, "unused by the product"


def test_the_compose_example_uses_settings_the_code_reads() -> None:
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "guichet.env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"\b((?:GUICHET|TELEGRAM)_[A-Z_]+)\b", compose + example))
    aliases = {field.validation_alias for field in Settings.model_fields.values()}
    assert names and names <= aliases, names - aliases
    assert "--secure-cookie" in compose and "/healthz" in compose

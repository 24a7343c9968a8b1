"""The assessment as contract JSON (contract.md): reasons rendered in one language, keys kept."""

from __future__ import annotations

from typing import Any

from bot.engine import Assessment, Message
from bot.i18n import Lang, render


def _key(message: Message) -> dict[str, Any]:
    return {"key": message.key, "params": dict(message.params)}


def _reasons(node: dict[str, Any], messages: list[Message], lang: Lang) -> None:
    node["reasons"] = [render(message, lang) for message in messages]
    node["reason_keys"] = [_key(message) for message in messages]


def assessment_to_contract(assessment: Assessment, lang: Lang) -> dict[str, Any]:
    """A JSON-ready dict in the shape of contract.md.

    Each ``reasons`` list holds sentences in ``lang``; ``reason_keys`` holds the same messages
    as locale keys with parameters, so another channel can render them in its own language.
    """
    data = assessment.model_dump(mode="json")
    for node, route in zip(data["routes"], assessment.routes, strict=True):
        _reasons(node, route.reasons, lang)
    _reasons(data["family"], assessment.family.reasons, lang)
    for node, member in zip(data["family"]["members"], assessment.family.members, strict=True):
        _reasons(node, member.reasons, lang)
    if assessment.family.renewal is not None:
        _reasons(data["family"]["renewal"], assessment.family.renewal.reasons, lang)
    data["review"] = [
        {"code": item.code, "reason": render(item.reason, lang), **_key(item.reason)}
        for item in assessment.review
    ]
    for node, step in zip(data["next_steps"], assessment.next_steps, strict=True):
        node["title"] = render(step.title, lang)
        node["timing"] = render(step.timing, lang) if step.timing else None
        node["fee"] = render(step.fee, lang) if step.fee else None
        node["documents"] = [render(doc, lang) for doc in step.documents]
    data["notices"] = [render(notice, lang) for notice in assessment.notices]
    return data

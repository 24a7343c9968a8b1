"""The result a person reads: a plain-language view of the assessment and its templates per channel."""

from bot.result.render import VIEWS, Channel, View, render_pages, render_result, render_view
from bot.result.view import Link, MemberGroup, ResultView, StepView, build_view, eur, say

__all__ = [
    "VIEWS",
    "Channel",
    "Link",
    "MemberGroup",
    "ResultView",
    "StepView",
    "View",
    "build_view",
    "eur",
    "render_pages",
    "render_result",
    "render_view",
    "say",
]

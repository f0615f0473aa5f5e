"""Reading the REST channel's replies in tests."""

from __future__ import annotations


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def buttons(replies: list[dict]) -> list[str]:
    return [b["title"] for reply in replies for b in reply.get("buttons") or []]

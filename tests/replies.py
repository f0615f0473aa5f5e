"""Reading the REST channel's replies in tests."""

from __future__ import annotations


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def buttons(replies: list[dict]) -> list[str]:
    return [b["title"] for reply in replies for b in reply.get("buttons") or []]


# (message, words the reply must hold): a form that asks, then follow-ups that need the
# slots it set. The replica tests play it across Rasa servers, local and in containers.
ACROSS_REPLICAS = [
    ("i want cna classes", "Where do you live?"),
    ("eugene", "near Eugene"),
    ("tell me more about 1", "Cost:"),
    ("how much is it", "$"),
    ("i need a ride to class", "Lane County"),
]

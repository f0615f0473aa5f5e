"""One place that shapes every reply for the learner's channel.

Web (and REST): text plus buttons. SMS: plain GSM-7 text, each message at most 320
characters, choices as numbered lines ("Reply 1, 2 or 3"), at most three messages.
Actions build a `Reply` and call `send`; none formats for a channel itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import List, Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SMS_CHANNELS = frozenset({"sms", "twilio"})
SMS_LIMIT = 320
SMS_MAX_MESSAGES = 3
SMS_READY = "sms_ready"  # marks a message this formatter already shaped for SMS

# The GSM 03.38 basic character set: anything else forces UCS-2 (70-character texts).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
REPLACEMENTS = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‒": "-", "−": "-", "…": "...", "•": "-", "·": "-",
    "\u00a0": " ", "\t": " ", "[": "(", "]": ")", "{": "(", "}": ")", "~": "-",
    "|": "/", "^": "", "\\": "/", "€": "EUR", "×": "x",
}


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


@dataclass
class Reply:
    text: str
    choices: Sequence[Choice] = field(default_factory=tuple)


def is_sms(tracker: Tracker) -> bool:
    return (tracker.get_latest_input_channel() or "") in SMS_CHANNELS


def to_gsm7(text: str) -> str:
    """Replaces what a basic phone cannot show as GSM-7 with the nearest plain character."""
    out = []
    for char in text:
        if char in GSM7_BASIC:
            out.append(char)
        elif char in REPLACEMENTS:
            out.append(REPLACEMENTS[char])
        else:
            # Accents GSM-7 lacks (á, í, ó, ú) lose the accent; emoji and the rest vanish.
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if c in GSM7_BASIC))
    return re.sub(r"[ ]{2,}", " ", "".join(out)).strip()


def _sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _hard_split(sentence: str, limit: int) -> List[str]:
    words, parts, current = sentence.split(" "), [], ""
    for word in words:
        word = word[:limit]
        candidate = f"{current} {word}".strip()
        if len(candidate) > limit:
            parts.append(current)
            candidate = word
        current = candidate
    return parts + [current] if current else parts


def split_sms(text: str, limit: int = SMS_LIMIT, max_messages: int = SMS_MAX_MESSAGES) -> List[str]:
    """Splits at sentence (or line) boundaries into messages of at most `limit` characters.

    When the text needs more than `max_messages`, the last message ends with "..." so the
    learner knows there is more and can ask.
    """
    messages: List[str] = []
    current = ""
    for sentence in _sentences(text):
        for piece in _hard_split(sentence.strip(), limit) if len(sentence) > limit else [sentence]:
            joiner = "\n" if "\n" in text and current else " "
            candidate = f"{current}{joiner}{piece}".strip() if current else piece.strip()
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece.strip()
    if current:
        messages.append(current)
    if len(messages) > max_messages:
        messages = messages[:max_messages]
        messages[-1] = messages[-1][: limit - 3].rstrip() + "..."
    return messages


def numbered(choices: Sequence[Choice]) -> str:
    if not choices:
        return ""
    lines = [f"{i}. {choice.title}" for i, choice in enumerate(choices, start=1)]
    digits = [str(i) for i in range(1, len(choices) + 1)]
    ask = digits[0] if len(digits) == 1 else ", ".join(digits[:-1]) + " or " + digits[-1]
    return "\n".join(lines) + f"\nReply {ask}."


LINK = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)]*(?:\s|$))")
MAX_LINK = 60


def short_link(url: str) -> str:
    """A link as short as still works when typed or tapped: no scheme, "www.", tracking
    query or fragment; a path too long for a text keeps only its first part."""
    link = re.sub(r"^https?://(www\.)?", "", url).split("#")[0].split("?")[0].rstrip("/")
    if len(link) > MAX_LINK:
        host, _, path = link.partition("/")
        link = host + ("/" + path.split("/")[0] if path else "")
    return link


def sms_messages(reply: Reply) -> List[str]:
    text = LINK.sub(lambda m: short_link(m.group(0)), to_gsm7(reply.text))
    body = split_sms(text)
    if reply.choices:
        menu = to_gsm7(numbered(reply.choices))
        # The choices travel together in the last text so the learner sees them at once.
        if body and len(body[-1]) + 1 + len(menu) <= SMS_LIMIT:
            body[-1] = f"{body[-1]}\n{menu}"
        else:
            body = body[: SMS_MAX_MESSAGES - 1] + split_sms(menu, max_messages=1)
    return body


def send(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> None:
    buttons = [{"title": c.title, "payload": c.payload} for c in reply.choices]
    if not is_sms(tracker):
        dispatcher.utter_message(text=reply.text, buttons=buttons or None)
        return
    messages = sms_messages(reply)
    for i, message in enumerate(messages):
        last = i == len(messages) - 1
        # Already shaped for SMS: the channel sends it as it is, and keeps the choices so a
        # reply of "2" maps back to the second one's payload.
        dispatcher.utter_message(text=message, json_message={
            SMS_READY: True, "choices": buttons if last else []})

"""How a reply becomes text messages: encoding, segments, numbered choices, short links.

Each text is sent in the cheaper encoding that still shows it correctly: GSM-7 (160
characters, or 153 a segment when split) when every character is in the GSM 03.38
alphabet, else UCS-2 (70, or 67 a segment) — "¿Cuánto cuesta?" keeps its accents. Mere
typography (curly quotes, dashes, a non-breaking space) is first replaced by its plain
form, so it never forces UCS-2 by itself. Every text is at most three segments, and a
turn is at most three texts; the choices travel numbered in the last one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from bot.wording import say_in

MAX_SEGMENTS = 3
MAX_TEXTS = 3

# The GSM 03.38 basic character set, and the extension table (each costs two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
TYPOGRAPHY = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‒": "-", "−": "-", "…": "...", "•": "-", "·": "-",
    "\u00a0": " ", "\t": " ",
}
LINK = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)]*(?:\s|$))")
MAX_LINK = 60


@dataclass(frozen=True)
class Encoding:
    name: str
    single: int  # characters in a text of one segment
    segment: int  # characters a segment when the text is split


GSM7 = Encoding("GSM-7", 160, 153)
UCS2 = Encoding("UCS-2", 70, 67)


def plain(text: str) -> str:
    """Typography replaced by its plain form; emoji and other symbols dropped."""
    out = "".join(TYPOGRAPHY.get(char, char) for char in text)
    kept = "".join(c for c in out if c == "\n" or (
        c.isprintable() and unicodedata.category(c) not in ("So", "Cs", "Co")))
    return re.sub(r"[ ]{2,}", " ", kept).strip()


def encoding_of(text: str) -> Encoding:
    return GSM7 if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else UCS2


def length_in(text: str, encoding: Encoding) -> int:
    """Characters as the network counts them: an extension character is two septets, a
    character outside the basic plane two UCS-2 units."""
    if encoding is GSM7:
        return len(text) + sum(c in GSM7_EXTENSION for c in text)
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def segments(text: str) -> int:
    encoding = encoding_of(text)
    size = length_in(text, encoding)
    if size <= encoding.single:
        return 1
    return -(-size // encoding.segment)


def limit_of(encoding: Encoding) -> int:
    """The longest text of at most MAX_SEGMENTS segments."""
    return encoding.segment * MAX_SEGMENTS


def short_link(url: str) -> str:
    """A link as short as still works when typed or tapped: no scheme, "www.", tracking
    query or fragment; a path too long for a text keeps only its first part."""
    link = re.sub(r"^https?://(www\.)?", "", url).split("#")[0].split("?")[0].rstrip("/")
    if len(link) > MAX_LINK:
        host, _, path = link.partition("/")
        link = host + ("/" + path.split("/")[0] if path else "")
    return link


def _sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _hard_split(sentence: str, limit: int) -> List[str]:
    parts, current = [], ""
    for word in sentence.split(" "):
        word = word[:limit]
        candidate = f"{current} {word}".strip()
        if len(candidate) > limit:
            parts.append(current)
            candidate = word
        current = candidate
    return parts + [current] if current else parts


def split_texts(text: str, max_texts: int = MAX_TEXTS) -> List[str]:
    """Splits at sentence (or line) boundaries into texts of at most three segments each,
    in the encoding the whole text needs. Past `max_texts`, the last one ends with "..."
    so the learner knows there is more and can ask."""
    limit = limit_of(encoding_of(text))
    texts: List[str] = []
    current = ""
    for sentence in _sentences(text):
        for piece in _hard_split(sentence.strip(), limit) if len(sentence) > limit else [sentence]:
            joiner = "\n" if "\n" in text and current else " "
            candidate = f"{current}{joiner}{piece}".strip() if current else piece.strip()
            if len(candidate) <= limit:
                current = candidate
            else:
                texts.append(current)
                current = piece.strip()
    if current:
        texts.append(current)
    if len(texts) > max_texts:
        texts = texts[:max_texts]
        texts[-1] = texts[-1][: limit - 3].rstrip() + "..."
    return texts


def menu(titles: Sequence[str], language: str) -> str:
    """The choices as numbered lines and the answer they take: "Reply 1, 2 or 3."."""
    if not titles:
        return ""
    lines = [f"{i}. {title}" for i, title in enumerate(titles, start=1)]
    digits = [str(i) for i in range(1, len(titles) + 1)]
    if len(digits) == 1:
        ask = say_in(language, "say_sms_reply_one", number=digits[0])
    else:
        ask = say_in(language, "say_sms_reply_many", numbers=", ".join(digits[:-1]),
                     last=digits[-1])
    return "\n".join([*lines, ask])


def texts_for(text: str, titles: Sequence[str], language: str) -> List[str]:
    """One bot message (its text and its choices' titles) as SMS texts."""
    body = split_texts(plain(LINK.sub(lambda m: short_link(m.group(0)), text)))
    if not titles:
        return body
    choices = plain(menu([plain(t) for t in titles], language))
    # The choices travel together in the last text so the learner sees them at once.
    if body:
        joined = f"{body[-1]}\n{choices}"
        if length_in(joined, encoding_of(joined)) <= limit_of(encoding_of(joined)):
            body[-1] = joined
            return body
    return body[: MAX_TEXTS - 1] + split_texts(choices, max_texts=1)


def turn_texts(messages: Sequence[Tuple[str, Sequence[str]]], language: str) -> List[str]:
    """A whole turn (several bot messages) as at most MAX_TEXTS texts: short messages
    share a text, and only the last message's choices are offered."""
    texts: List[str] = []
    last_with_choices = max((i for i, (_, t) in enumerate(messages) if t), default=-1)
    for i, (text, titles) in enumerate(messages):
        for piece in texts_for(text, titles if i == last_with_choices else (), language):
            joined = f"{texts[-1]}\n{piece}" if texts else piece
            if texts and length_in(joined, encoding_of(joined)) <= limit_of(
                    encoding_of(joined)):
                texts[-1] = joined
            else:
                texts.append(piece)
    if len(texts) > MAX_TEXTS:
        # Keep the start and the end (where the choices are).
        texts = texts[: MAX_TEXTS - 1] + texts[-1:]
    return texts

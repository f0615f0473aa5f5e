"""The action server's one Catalogue, created on first use (never at import)."""

from __future__ import annotations

import asyncio
from typing import Optional

from knowledge.catalogue import Catalogue
from knowledge.geography import Place, locate

_catalogue: Optional[Catalogue] = None


def catalogue() -> Catalogue:
    global _catalogue
    if _catalogue is None:
        _catalogue = Catalogue.from_env()
    return _catalogue


async def find_place(text: Optional[str]) -> Optional[Place]:
    """Resolves what the learner typed (city, ZIP, county) without blocking the loop.

    The first call loads the ZIP data, which takes a moment, hence the thread.
    """
    if not text:
        return None
    return await asyncio.to_thread(locate, text)

"""What every console handler uses: rendering a page, and store calls off the loop."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.console.keys import ENGINE, PREFIX, TEMPLATES


def render(request: web.Request, template: str, http_status: int = 200, **context: Any):
    env = request.app[TEMPLATES]
    page = env.get_template(template).render(
        user=request.get("user"), csrf=request.get("csrf"), prefix=PREFIX, **context)
    return web.Response(text=page, status=http_status, content_type="text/html")


async def db(request: web.Request, function, *args, **kwargs):
    """Runs a store call in a thread: the event loop keeps serving everyone else."""
    return await asyncio.to_thread(function, request.app[ENGINE], *args, **kwargs)

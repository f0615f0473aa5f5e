"""The catalogue in the console, for editors and admins: upload a bundle, read what it
would change, apply it, look back at every import and restore an earlier one, download
the catalogue, and see which rows nobody has checked lately.

An upload is checked exactly as `python -m knowledge check` checks a folder (the same
code), after the upload itself is found safe (knowledge/bundle/archive.py, upload.py);
the catalogue changes only on apply or restore, each one import in one transaction.
Every upload, apply, restore and download is written to the audit log.

`add_routes(app)` adds the pages and one middleware, placed before the console's CSRF
check: it answers 403 to anyone but an editor or admin before a byte of an upload is
read, and lets the upload (only) be larger than the web app's small form limit.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from aiohttp import web
from aiohttp.web_request import FileField

from bot.console import catalogue_uploads as uploads
from bot.console.keys import ENGINE, PREFIX
from bot.console.middlewares import csrf_check
from bot.console.pages import db, render
from bot.records import store
from knowledge import freshness
from knowledge.bundle import BundleInvalid
from knowledge.bundle.archive import Limits, size_text
from knowledge.bundle.exporter import export_zip
from knowledge.bundle.history import (
    catalogue_counts,
    import_summary,
    imports,
    latest_import_id,
    restore,
    restore_preview,
)
from knowledge.bundle.upload import UploadedFile
from knowledge.clock import today

LIMITS = web.AppKey("catalogue_limits", Limits)
HOME = f"{PREFIX}/catalogue"
UPLOAD = f"{HOME}/upload"
FORM_SLACK = 64 * 1024  # the CSRF field and multipart headers beside the files


def add_routes(app: web.Application) -> None:
    """The catalogue's pages, on the console app (after its middlewares are set)."""
    app[LIMITS] = Limits.from_env()
    app.middlewares.insert(app.middlewares.index(csrf_check), catalogue_guard)
    app.router.add_get("/catalogue", catalogue_page)
    app.router.add_post("/catalogue/upload", upload)
    app.router.add_get("/catalogue/preview/{token}", preview_page)
    app.router.add_post("/catalogue/apply", apply)
    app.router.add_post("/catalogue/discard", discard)
    app.router.add_get("/catalogue/history", history_page)
    app.router.add_get("/catalogue/history/{id:\\d+}/restore", restore_page)
    app.router.add_post("/catalogue/history/{id:\\d+}/restore", restore_import)
    app.router.add_get("/catalogue/bundle.zip", download)


@web.middleware
async def catalogue_guard(request: web.Request, handler):
    if request.path != HOME and not request.path.startswith(f"{HOME}/"):
        return await handler(request)
    if request["user"]["role"] not in store.CATALOGUE_ROLES:
        return render(request, "error.html", http_status=403,
                      message="The catalogue is kept by editors and admins.")
    if request.method == "POST" and request.path == UPLOAD:
        limit = request.app[LIMITS].upload_bytes
        if (request.content_length or 0) > limit + FORM_SLACK:
            return await too_large(request)
        request = request.clone(client_max_size=limit + FORM_SLACK)
        try:
            await request.post()  # read now, under this limit; the CSRF check reuses it
        except web.HTTPRequestEntityTooLarge:
            return await too_large(request)
        except Exception:  # noqa: BLE001, S110 - the CSRF check answers "could not be read"
            pass
    return await handler(request)


async def too_large(request: web.Request) -> web.Response:
    limit = size_text(request.app[LIMITS].upload_bytes)
    await db(request, store.audit, request["user"]["username"], "catalogue_upload",
             detail=f"refused: larger than {limit}")
    return await show_home(request, http_status=413,
                           refused=f"The upload is larger than the {limit} limit. "
                                   "Nothing was changed.")


async def show_home(request: web.Request, http_status: int = 200, **context: Any):
    engine = request.app[ENGINE]
    counts, history, stale = await asyncio.gather(
        asyncio.to_thread(catalogue_counts, engine),
        asyncio.to_thread(imports, engine, 1),
        asyncio.to_thread(freshness.stale_rows, engine))
    context.setdefault("refused", None)
    context.setdefault("problems", [])
    return render(request, "catalogue.html", http_status, counts=counts,
                  last=history[0] if history else None, stale=stale,
                  stale_days=freshness.stale_days(), today=today(),
                  limit=size_text(request.app[LIMITS].upload_bytes),
                  applied=request.query.get("applied"), **context)


async def catalogue_page(request: web.Request) -> web.Response:
    return await show_home(request)


async def upload(request: web.Request) -> web.Response:
    user = request["user"]
    form = await request.post()
    files = [UploadedFile(f.filename, f.file) for f in form.getall("bundle", [])
             if isinstance(f, FileField)]
    try:
        received = await db(request, uploads.take_upload, user, files, request.app[LIMITS])
    finally:
        await asyncio.to_thread(close_all, files)
    if received.refused:
        await db(request, store.audit, user["username"], "catalogue_upload",
                 detail=f"refused: {received.refused}"[:1000])
        return await show_home(request, http_status=422,
                               refused=received.refused + " Nothing was changed.")
    if received.errors:
        await db(request, store.audit, user["username"], "catalogue_upload",
                 detail=f"{received.source}: {len(received.errors)} problem(s)")
        return await show_home(request, http_status=422, problems=received.errors)
    await db(request, store.audit, user["username"], "catalogue_upload",
             detail=f"{received.source}: valid, waiting to be applied")
    raise web.HTTPSeeOther(f"{HOME}/preview/{received.token}")


def close_all(files: List[UploadedFile]) -> None:
    for upload_ in files:
        upload_.stream.close()


async def preview_page(request: web.Request) -> web.Response:
    try:
        found = await db(request, uploads.preview_upload, request.match_info["token"],
                         request["user"])
    except uploads.NotWaiting:
        return not_waiting(request)
    return render(request, "catalogue_preview.html", p=found, token=found.upload["token"])


def not_waiting(request: web.Request) -> web.Response:
    return render(request, "error.html", http_status=404,
                  message="That upload is not waiting any more: it was applied or "
                          "discarded, or is more than a day old. Upload it again.")


async def apply(request: web.Request) -> web.Response:
    user = request["user"]
    token = str((await request.post()).get("token", ""))
    try:
        result = await db(request, uploads.apply_upload, token, user)
    except uploads.NotWaiting:
        return not_waiting(request)
    except uploads.CatalogueMoved:
        return render(request, "error.html", http_status=409,
                      message="Someone imported another catalogue after this upload was "
                              "checked, so its preview is out of date. Nothing was "
                              "changed: upload the bundle again to see what it changes now.")
    except BundleInvalid as invalid:  # checked at upload; only a changed validator gets here
        return await show_home(request, http_status=422, problems=invalid.problems)
    await db(request, store.audit, user["username"], "catalogue_apply",
             detail=f"import {result.import_id}: {counts_text(result.counts)}")
    raise web.HTTPSeeOther(f"{HOME}?applied={result.import_id}")


async def discard(request: web.Request) -> web.Response:
    token = str((await request.post()).get("token", ""))
    await db(request, uploads.discard, token, request["user"])
    raise web.HTTPSeeOther(HOME)


def counts_text(counts: Dict[str, int]) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())


async def history_page(request: web.Request) -> web.Response:
    rows = await db(request, imports)
    return render(request, "catalogue_history.html", imports=rows,
                  latest=rows[0]["id"] if rows else None,
                  restored=request.query.get("restored"))


async def restorable(request: web.Request) -> Dict[str, Any]:
    """The earlier import named in the URL, with its bundle kept; 404 or 409 otherwise."""
    import_id = int(request.match_info["id"])
    summary = await db(request, import_summary, import_id)
    if summary is None or not summary["kept"]:
        raise web.HTTPNotFound(text="No such import, or no copy of its bundle was kept.")
    if import_id == await db(request, latest_import_id):
        raise web.HTTPConflict(text="That import is the current catalogue already.")
    return summary


async def restore_page(request: web.Request) -> web.Response:
    summary = await restorable(request)
    changes = await db(request, restore_preview, summary["id"])
    return render(request, "catalogue_restore.html", i=summary, changes=changes)


async def restore_import(request: web.Request) -> web.Response:
    summary = await restorable(request)
    user = request["user"]
    result = await db(request, restore, summary["id"], user["username"])
    await db(request, store.audit, user["username"], "catalogue_restore",
             detail=f"import {result.import_id} restores import {summary['id']}: "
                    f"{counts_text(result.counts)}")
    raise web.HTTPSeeOther(f"{HOME}/history?restored={result.import_id}")


async def download(request: web.Request) -> web.Response:
    packed = await db(request, export_zip)
    user = request["user"]
    await db(request, store.audit, user["username"], "catalogue_export",
             detail=f"bundle zip, {len(packed.data)} bytes")
    stamp = store.utcnow().strftime("%Y%m%d-%H%M")
    return web.Response(body=packed.data, content_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="catalogue-{stamp}.zip"'})

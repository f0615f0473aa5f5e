"""Bundles uploaded in the console, from the upload to the apply.

A valid upload is kept (zipped) in the `catalogue_uploads` table under a random token,
bound to the user who uploaded it: the preview page and the apply form name the token,
and only that user can see or apply it, for a day. Keeping it in the database rather
than on disk lets the preview and the apply reach different web replicas.

Every function is synchronous (files and database); the console runs them in a thread.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle.archive import Limits, UploadRefused, pack_bundle
from knowledge.bundle.diff import FileChanges, preview
from knowledge.bundle.history import latest_import_id, unpack_kept
from knowledge.bundle.importer import ImportResult, import_bundle
from knowledge.bundle.problems import ERROR, Problem
from knowledge.bundle.upload import UploadedFile, check_upload
from knowledge.bundle.validate import check_bundle

UPLOADS = m.CatalogueUpload.__table__
KEEP = dt.timedelta(days=1)  # an upload nobody applied is forgotten after this
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class NotWaiting(LookupError):
    """No such upload for this user: applied, discarded, expired, or someone else's."""


class CatalogueMoved(RuntimeError):
    """Another import landed after this upload was checked: its preview is out of date."""


@dataclass
class Received:
    source: str = ""
    refused: Optional[str] = None  # why an unsafe upload was not even read
    problems: List[Problem] = field(default_factory=list)  # errors and warnings
    token: Optional[str] = None  # set when the upload is valid and waiting

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def take_upload(engine: Engine, user: Dict[str, Any], files: Sequence[UploadedFile],
                limits: Limits) -> Received:
    """Checks the upload; a valid one is kept for its preview (the catalogue is not
    changed either way)."""
    forget_old(engine)
    with tempfile.TemporaryDirectory(prefix="bundle-upload-") as scratch:
        folder = Path(scratch) / "bundle"
        try:
            check = check_upload(files, folder, limits)
        except UploadRefused as refused:
            return Received(refused=str(refused))
        result = Received(check.source, problems=check.problems)
        if check.errors:
            return result
        packed = pack_bundle(folder)
    result.token = secrets.token_urlsafe(32)
    base = latest_import_id(engine)
    with engine.begin() as conn:
        conn.execute(insert(UPLOADS).values(
            token=result.token, user_id=user["id"], created_at=now(), base_import_id=base,
            source=check.source[:500], checksums=packed.checksums, bundle=packed.data))
    return result


def forget_old(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(UPLOADS).where(UPLOADS.c.created_at < now() - KEEP))


def waiting(engine: Engine, token: str, user: Dict[str, Any]) -> Dict[str, Any]:
    """The user's upload under `token`; NotWaiting otherwise."""
    if not TOKEN.match(token or ""):
        raise NotWaiting(token)
    with engine.connect() as conn:
        row = conn.execute(select(UPLOADS).where(
            UPLOADS.c.token == token, UPLOADS.c.user_id == user["id"],
            UPLOADS.c.created_at >= now() - KEEP)).mappings().first()
    if row is None:
        raise NotWaiting(token)
    return dict(row)


@dataclass
class Preview:
    upload: Dict[str, Any]
    changes: List[FileChanges]
    warnings: List[Problem]
    counts: Dict[str, int]
    moved: bool  # another import landed since the upload was checked


def preview_upload(engine: Engine, token: str, user: Dict[str, Any]) -> Preview:
    upload = waiting(engine, token, user)
    with tempfile.TemporaryDirectory(prefix="bundle-preview-") as scratch:
        folder = unpack_kept(upload["bundle"], Path(scratch) / "bundle")
        bundle = check_bundle(folder)
        changes = preview(engine, folder)
    return Preview(upload, changes, bundle.warnings, bundle.counts(),
                   moved=upload["base_import_id"] != latest_import_id(engine))


def apply_upload(engine: Engine, token: str, user: Dict[str, Any]) -> ImportResult:
    """Imports the waiting upload as the new catalogue, recorded under the user's name;
    NotWaiting, CatalogueMoved, or BundleInvalid (never, as it was checked) otherwise."""
    upload = waiting(engine, token, user)
    if upload["base_import_id"] != latest_import_id(engine):
        raise CatalogueMoved(token)
    with tempfile.TemporaryDirectory(prefix="bundle-apply-") as scratch:
        folder = unpack_kept(upload["bundle"], Path(scratch) / "bundle")
        result = import_bundle(engine, folder, username=user["username"],
                               source=upload["source"])
    discard(engine, token, user)
    return result


def discard(engine: Engine, token: str, user: Dict[str, Any]) -> bool:
    with engine.begin() as conn:
        done = conn.execute(delete(UPLOADS).where(UPLOADS.c.token == token,
                                                  UPLOADS.c.user_id == user["id"]))
    return done.rowcount > 0

"""The catalogue's import history, and restoring an earlier import in one step.

Every import keeps its bundle (see the importer), so restoring is importing that bundle
again: validated, swapped in one transaction, and recorded as a new import that names
the one it brought back. The bot sees it as it sees any import.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle.archive import Limits, unpack_bundle
from knowledge.bundle.diff import FileChanges, preview
from knowledge.bundle.importer import ImportResult, import_bundle

IMPORTS = m.CatalogueImport.__table__
SUMMARY = (IMPORTS.c.id, IMPORTS.c.imported_at, IMPORTS.c.source, IMPORTS.c.counts,
           IMPORTS.c.username, IMPORTS.c.checksums, IMPORTS.c.restored_from)


def imports(engine: Engine, limit: int = 200) -> List[Dict[str, Any]]:
    """The newest imports first, without their bundles' bytes; `kept` says whether the
    bundle is there to restore."""
    query = (select(*SUMMARY, IMPORTS.c.bundle.isnot(None).label("kept"))
             .order_by(IMPORTS.c.id.desc()).limit(limit))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def import_summary(engine: Engine, import_id: int) -> Optional[Dict[str, Any]]:
    query = select(*SUMMARY, IMPORTS.c.bundle.isnot(None).label("kept")).where(
        IMPORTS.c.id == import_id)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


# What `Bundle.counts()` names each file's rows, and the table holding them.
COUNTED = (("providers", m.Provider), ("programs", m.Program), ("credentials", m.Credential),
           ("occupations", m.Occupation), ("pathways", m.Pathway),
           ("pathway_steps", m.PathwayStep), ("services", m.Service))


def catalogue_counts(engine: Engine) -> Dict[str, int]:
    """Rows the catalogue holds now, named as an import's counts are."""
    query = select(*(select(func.count()).select_from(model).scalar_subquery()
                     for _name, model in COUNTED))
    with engine.connect() as conn:
        found = conn.execute(query).one()
    return {name: count for (name, _model), count in zip(COUNTED, found, strict=True)}


def latest_import_id(engine: Engine) -> Optional[int]:
    with engine.connect() as conn:
        return conn.execute(select(func.max(IMPORTS.c.id))).scalar()


def kept_bundle(engine: Engine, import_id: int) -> Optional[bytes]:
    with engine.connect() as conn:
        return conn.execute(select(IMPORTS.c.bundle).where(IMPORTS.c.id == import_id)).scalar()


def unpack_kept(data: bytes, folder: Path) -> Path:
    """A kept bundle back in a folder. It was checked when it came in; it is unpacked with
    the same care anyway, with room for a bundle accepted under larger limits."""
    limits = Limits(upload_bytes=max(len(data), 1), unpacked_bytes=max(
        Limits.from_env().unpacked_bytes, 100 * len(data)))
    unpack_bundle(data, folder, limits)
    return folder


def restore(engine: Engine, import_id: int, username: Optional[str]) -> ImportResult:
    """Imports the bundle kept with import `import_id` again; LookupError when there is
    no such import or it has no bundle kept."""
    data = kept_bundle(engine, import_id)
    if data is None:
        raise LookupError(f"import {import_id} has no bundle kept")
    with tempfile.TemporaryDirectory(prefix="bundle-restore-") as scratch:
        folder = unpack_kept(data, Path(scratch) / "bundle")
        return import_bundle(engine, folder, username=username,
                             source=f"restore of import {import_id}",
                             restored_from=import_id)


def restore_preview(engine: Engine, import_id: int) -> List[FileChanges]:
    """What restoring import `import_id` would change; LookupError as `restore`."""
    data = kept_bundle(engine, import_id)
    if data is None:
        raise LookupError(f"import {import_id} has no bundle kept")
    with tempfile.TemporaryDirectory(prefix="bundle-restore-") as scratch:
        return preview(engine, unpack_kept(data, Path(scratch) / "bundle"))

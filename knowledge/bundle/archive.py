"""A bundle as one zip file: packed to keep with an import, unpacked carefully from an
upload.

Unpacking treats the zip as hostile: a member path may not climb out of the folder
(`../`, absolute paths) or sit deeper than one top folder, only the seven bundle files
are accepted, and sizes are checked twice: from the zip's headers before anything is
read (total size, and how many times each member expands), then again while reading,
since headers can lie. Nothing is ever extracted under a name taken from the zip: each
file is written under its bundle name into the folder given.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Dict, List, Optional, Union

from knowledge.bundle.cells import did_you_mean
from knowledge.bundle.spec import FILES

MB = 1024 * 1024
CHUNK = 64 * 1024
# Junk that zipping on a Mac or in Windows Explorer adds; skipped, never extracted.
JUNK = re.compile(r"(^|/)(__MACOSX/.*|\.DS_Store|\._[^/]*|Thumbs\.db|desktop\.ini)$")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # packing the same files gives the same bytes


class UploadRefused(Exception):
    """The upload is unsafe or not a bundle; nothing was read into the catalogue. The
    message says why in plain words, for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    """How much an upload may hold. A member may expand any number of times up to
    `ratio_floor_bytes` (spreadsheets pad CSV files with empty rows that compress very
    well); beyond that it may expand at most `ratio` times."""

    upload_bytes: int = 20 * MB
    unpacked_bytes: int = 100 * MB
    ratio: int = 100
    ratio_floor_bytes: int = 1 * MB
    members: int = 64

    @classmethod
    def from_env(cls) -> Limits:
        """NAVIGATOR_CATALOGUE_UPLOAD_MB (20) and NAVIGATOR_CATALOGUE_UNZIPPED_MB (100)."""
        return cls(upload_bytes=_megabytes("NAVIGATOR_CATALOGUE_UPLOAD_MB", 20),
                   unpacked_bytes=_megabytes("NAVIGATOR_CATALOGUE_UNZIPPED_MB", 100))


def _megabytes(name: str, default: float) -> int:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a number of megabytes, not {raw!r}") from None
    if value <= 0:
        raise SystemExit(f"{name} must be more than 0")
    return int(value * MB)


def size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{max(size // 1024, 1)} KB"


@dataclass(frozen=True)
class Packed:
    data: bytes  # the zip
    checksums: Dict[str, str]  # file name -> SHA-256 of its bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack_bundle(folder: Union[Path, str]) -> Packed:
    """The bundle files present in `folder`, zipped at the top level in format order."""
    folder = Path(folder)
    buffer = io.BytesIO()
    checksums: Dict[str, str] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            path = folder / name
            if not path.is_file():
                continue
            data = path.read_bytes()
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
            checksums[name] = sha256(data)
    return Packed(buffer.getvalue(), checksums)


def unpack_bundle(source: Union[bytes, BinaryIO], folder: Union[Path, str],
                  limits: Limits) -> List[str]:
    """Writes the zip's bundle files into `folder`; returns their names, or raises
    UploadRefused saying what is wrong."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise UploadRefused("This file is not a zip archive that can be opened. Upload the "
                            "bundle zipped, or the seven .csv files together.") from None
    with archive:
        members = [i for i in archive.infolist() if not JUNK.search(i.filename)]
        if len(members) > limits.members:
            raise UploadRefused(f"The zip holds {len(members)} entries; a bundle is seven "
                                "CSV files.")
        chosen = _bundle_members(members)
        _check_declared_sizes(chosen, limits)
        try:
            _extract(archive, chosen, folder, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
                NotImplementedError):
            raise UploadRefused("The zip file is damaged, or its headers give wrong sizes. "
                                "Zip the files again and upload the new zip.") from None
    return sorted(chosen, key=list(FILES).index)


def _bundle_members(members: List[zipfile.ZipInfo]) -> Dict[str, zipfile.ZipInfo]:
    """Which member is which bundle file; refuses unsafe paths, folders in folders,
    several top folders, unknown names and a name given twice."""
    tops = set()
    chosen: Dict[str, zipfile.ZipInfo] = {}
    unknown: List[str] = []
    for info in members:
        name = info.filename
        if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
            raise UploadRefused(f"The zip entry '{name}' has an absolute path. A bundle zip "
                                "holds the seven files, or one folder with them.")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if ".." in parts:
            raise UploadRefused(f"The zip entry '{name}' points outside the bundle's folder "
                                "('..'). Zip only the bundle's files.")
        if not parts:
            continue
        depth = len(parts) if not info.is_dir() else len(parts) + 1
        if depth > 2:
            raise UploadRefused(f"The zip entry '{name}' is in a folder inside a folder. Zip "
                                "the seven files, or one folder that holds them.")
        tops.add(parts[0] if depth == 2 else "")
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UploadRefused(f"'{name}' is protected by a password; zip it without one.")
        base = parts[-1]
        if base not in FILES:
            unknown.append(base)
        elif base in chosen:
            raise UploadRefused(f"The zip holds {base} twice.")
        else:
            chosen[base] = info
    if len(tops) > 1:
        names = ", ".join(f"'{t}/'" if t else "files outside any folder" for t in sorted(tops))
        raise UploadRefused(f"The zip holds {names}. A bundle zip holds the seven files, or "
                            "one folder with them.")
    if unknown:
        raise UploadRefused(unknown_names(unknown))
    return chosen


def unknown_names(names: List[str]) -> str:
    listed = "; ".join(f"'{n}'" + did_you_mean(n, FILES) for n in names)
    return (f"Not a bundle file: {listed}. A bundle holds exactly these files: "
            + ", ".join(FILES) + ".")


def _check_declared_sizes(chosen: Dict[str, zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(info.file_size for info in chosen.values())
    if total > limits.unpacked_bytes:
        raise UploadRefused(f"The zip would unpack to {size_text(total)}, more than the "
                            f"{size_text(limits.unpacked_bytes)} a bundle may hold.")
    for name, info in chosen.items():
        if _expands_too_much(info.file_size, info.compress_size, limits):
            raise UploadRefused(_bomb(name, info, limits))


def _expands_too_much(size: int, compressed: int, limits: Limits) -> bool:
    return size > limits.ratio_floor_bytes and size > limits.ratio * max(compressed, 1)


def _bomb(name: str, info: zipfile.ZipInfo, limits: Limits) -> str:
    return (f"{name} in the zip expands more than {limits.ratio} times (from "
            f"{size_text(info.compress_size)}): it looks like a zip bomb and was not opened.")


def _extract(archive: zipfile.ZipFile, chosen: Dict[str, zipfile.ZipInfo], folder: Path,
             limits: Limits) -> None:
    total = 0
    for name, info in chosen.items():
        written = 0
        with archive.open(info) as member, (folder / name).open("wb") as out:
            while True:
                chunk: Optional[bytes] = member.read(CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                total += len(chunk)
                if written > info.file_size:  # zipfile stops at the header's size; be sure
                    raise zipfile.BadZipFile(name)
                if total > limits.unpacked_bytes:
                    raise UploadRefused(f"The zip unpacks to more than the "
                                        f"{size_text(limits.unpacked_bytes)} a bundle may hold.")
                if _expands_too_much(written, info.compress_size, limits):
                    raise UploadRefused(_bomb(name, info, limits))
                out.write(chunk)

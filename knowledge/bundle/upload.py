"""An uploaded bundle made into a folder the validator can read: one zip, or the seven
CSV files chosen together. Anything unsafe or not a bundle is refused with a plain
reason (UploadRefused) before a single cell is read.

File names sent by a browser are never used as paths: a file is written only under one
of the seven bundle names.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, List, Sequence

from knowledge.bundle.archive import (
    CHUNK,
    Limits,
    UploadRefused,
    size_text,
    unknown_names,
    unpack_bundle,
)
from knowledge.bundle.formulas import formula_cells
from knowledge.bundle.problems import ERROR, BundleInvalid, Problem
from knowledge.bundle.spec import FILES
from knowledge.bundle.validate import bundle_order, check_bundle

ZIP_MAGIC = b"PK\x03\x04"
BINARY_PROBE = 8192  # a NUL byte this early means a binary file, not text


@dataclass
class UploadedFile:
    filename: str  # as the browser named it
    stream: BinaryIO


@dataclass
class UploadCheck:
    source: str  # what came: "upload of bundle.zip", "upload of 7 CSV files"
    problems: List[Problem] = field(default_factory=list)  # in bundle order

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def check_upload(files: Sequence[UploadedFile], folder: Path, limits: Limits) -> UploadCheck:
    """Receives the upload into `folder` and checks it exactly as `python -m knowledge
    check` does, plus formula cells; raises UploadRefused for an unsafe upload."""
    source = receive(files, folder, limits)
    problems = formula_cells(folder)
    try:
        problems += check_bundle(folder).problems
    except BundleInvalid as invalid:
        problems += invalid.problems
    return UploadCheck(source, sorted(problems, key=bundle_order))


def receive(files: Sequence[UploadedFile], folder: Path, limits: Limits) -> str:
    """Writes the bundle into `folder`; returns a short description of what came
    (for the import's `source`)."""
    files = [f for f in files if f.filename]
    if not files:
        raise UploadRefused("Choose the bundle first: one .zip file, or the seven .csv "
                            "files together.")
    size = sum(_size(f.stream) for f in files)
    if size > limits.upload_bytes:
        raise UploadRefused(f"The upload is {size_text(size)}, more than the "
                            f"{size_text(limits.upload_bytes)} limit.")
    zips = [f for f in files if f.filename.lower().endswith(".zip")
            or (not f.filename.lower().endswith(".csv") and _is_zip(f.stream))]
    if zips and len(files) > 1:
        raise UploadRefused("Upload either one .zip file or the seven .csv files, not both "
                            "or several zips.")
    folder.mkdir(parents=True, exist_ok=True)
    if zips:
        unpack_bundle(zips[0].stream, folder, limits)
        refuse_binary(folder)
        return f"upload of {_short(zips[0].filename)}"
    names = [_plain_name(f.filename) for f in files]
    unknown = [n for n in names if n not in FILES]
    if unknown:
        raise UploadRefused(unknown_names(unknown))
    for name in names:
        if names.count(name) > 1:
            raise UploadRefused(f"{name} was chosen twice.")
    for name, upload in zip(names, files, strict=True):
        upload.stream.seek(0)
        with (folder / name).open("wb") as out:
            shutil.copyfileobj(upload.stream, out, CHUNK)
    refuse_binary(folder)
    return f"upload of {len(names)} CSV files"


def refuse_binary(folder: Path) -> None:
    """A spreadsheet's own file (.xlsx, .ods) or any other binary renamed to .csv."""
    for name in FILES:
        path = folder / name
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(BINARY_PROBE)
            if b"\x00" in head or head.startswith(ZIP_MAGIC):
                raise UploadRefused(f"{name} is not a CSV file (it holds binary data, like a "
                                    "spreadsheet's own format). In the spreadsheet, save it "
                                    "as \"CSV UTF-8\".")


def _plain_name(filename: str) -> str:
    """The name as chosen; a name with a folder in it is never a bundle file."""
    if "/" in filename or "\\" in filename:
        return filename.replace("\\", "/")
    return filename


def _short(filename: str) -> str:
    return _plain_name(filename).rsplit("/", 1)[-1][:200]


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _is_zip(stream: BinaryIO) -> bool:
    stream.seek(0)
    head = stream.read(len(ZIP_MAGIC))
    stream.seek(0)
    return head == ZIP_MAGIC


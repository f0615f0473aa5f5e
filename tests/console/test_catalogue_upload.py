"""The catalogue in the console: what an editor sees when uploading, previewing, applying,
restoring and downloading, and what a hostile or mistaken upload cannot do.

"Changes nothing" is checked on the database itself: the catalogue's rows, the import
history and the uploads waiting are exactly as before.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.console.app import create_console
from bot.console.security import hash_password
from bot.records import store
from knowledge import models as m
from knowledge.bundle import import_bundle
from knowledge.bundle.archive import sha256
from tests.console.conftest import PASSWORD, csrf_of, log_in
from tests.knowledge.bundles import COUNTS, bundle_rows, catalogue_rows, write_bundle

ROUTES = [
    ("GET", "/console/catalogue"),
    ("POST", "/console/catalogue/upload"),
    ("GET", "/console/catalogue/preview/" + "a" * 43),
    ("POST", "/console/catalogue/apply"),
    ("POST", "/console/catalogue/discard"),
    ("GET", "/console/catalogue/history"),
    ("GET", "/console/catalogue/history/1/restore"),
    ("POST", "/console/catalogue/history/1/restore"),
    ("GET", "/console/catalogue/bundle.zip"),
]
PROBLEM_ROW = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


# ---------------------------------------------------------------- set-up

@pytest.fixture
def catalogue_world(world, tmp_path):
    """The console's world with the test bundle imported and an editor, "eve"."""
    import_bundle(world["engine"], write_bundle(tmp_path / "first"))
    store.add_user(world["engine"], "eve", hash_password(PASSWORD), "editor", [])
    store.add_user(world["engine"], "ed", hash_password(PASSWORD), "editor", [])
    return world


async def start_console(world, monkeypatch, **env: str) -> TestClient:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = web.Application()
    app.add_subapp("/console", create_console(world["url"], world["tracker_url"], world["tmp"],
                                              secure_cookie=False))
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def editor(catalogue_world, monkeypatch):
    """A console where eve is logged in (limits as configured by default)."""
    client = await start_console(catalogue_world, monkeypatch)
    assert (await log_in(client, "eve")).status == 303
    yield client
    await client.close()


@pytest.fixture
async def small_editor(catalogue_world, monkeypatch):
    """Eve, on a console configured for uploads of 50 KB unpacking to 200 KB at most."""
    client = await start_console(catalogue_world, monkeypatch,
                                 NAVIGATOR_CATALOGUE_UPLOAD_MB="0.05",
                                 NAVIGATOR_CATALOGUE_UNZIPPED_MB="0.2")
    assert (await log_in(client, "eve")).status == 303
    yield client
    await client.close()


def bundle_bytes(tmp: Path, rows=None) -> Dict[str, bytes]:
    folder = write_bundle(tmp, rows)
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def zipped(files: Dict[str, bytes], top: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(top + name, data)
    return buffer.getvalue()


async def upload(client: TestClient, files: List[Tuple[str, bytes]], **kwargs):
    form = FormData()
    form.add_field("csrf", await csrf_of(client, "/console/catalogue"))
    for name, data in files:
        form.add_field("bundle", data, filename=name, content_type="application/octet-stream")
    return await client.post("/console/catalogue/upload", data=form, **kwargs)


async def upload_raw(client: TestClient, files: List[Tuple[str, bytes]]):
    """As a hand-made client sends it: file names exactly as given, "../" and all."""
    boundary = "----catalogue-test-boundary"
    token = await csrf_of(client, "/console/catalogue")
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
            f"{token}\r\n").encode()
    for name, data in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="bundle"; '
                 f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n').encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return await client.post("/console/catalogue/upload", data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})


def problems_in(page: str) -> List[str]:
    """The problems table's rows, each as the command line prints it."""
    table = page.split('<table class="problems">', 1)[1].split("</table>", 1)[0]
    return [f"{html.unescape(where)}: {html.unescape(column)}: {html.unescape(message)}"
            for where, column, message in PROBLEM_ROW.findall(table)]


def state(engine) -> tuple:
    """Everything an upload must not change: the catalogue, its history, uploads waiting."""
    with engine.connect() as conn:
        imports = conn.execute(select(m.CatalogueImport.id)).scalars().all()
        waiting = conn.execute(select(func.count()).select_from(m.CatalogueUpload)).scalar()
    return catalogue_rows(engine), imports, waiting


def audit(engine, action: str) -> List[dict]:
    return [e for e in store.audit_entries(engine) if e["action"] == action]


def latest_import(engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(m.CatalogueImport).order_by(
            m.CatalogueImport.id.desc())).mappings().first())


# ---------------------------------------------------------------- mistakes

FIVE_MISTAKES = {
    ("providers", 1, "counties"): "Deschutes; Crooke; Jefferson",
    ("programs", 0, "provider_id"): "riverbend-c",
    ("programs", 1, "next_start"): "2031-02-30",
    ("programs", 2, "cost_usd"): "-900",
    ("pathway_steps", 0, "pathway_id"): "weldng",
}
FIVE_MESSAGES = [
    "providers.csv:3: counties: 'Crooke' is not an Oregon county (did you mean 'Crook'?)",
    "programs.csv:2: provider_id: 'riverbend-c' is not in providers.csv "
    "(did you mean 'riverbend-cc'?)",
    "programs.csv:3: next_start: '2031-02-30' is not a date written YYYY-MM-DD",
    "programs.csv:4: cost_usd: '-900' must be a number of 0 or more",
    "pathway_steps.csv:2: pathway_id: 'weldng' is not in pathways.csv "
    "(did you mean 'welding'?)",
]


def with_mistakes(mistakes=FIVE_MISTAKES):
    rows = bundle_rows()
    for (file, index, column), value in mistakes.items():
        rows[file][index][column] = value
    return rows


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "seven-csv-files"])
async def test_an_upload_with_five_mistakes_shows_exactly_them_and_changes_nothing(
        editor, catalogue_world, tmp_path, as_zip):
    engine = catalogue_world["engine"]
    before = state(engine)
    files = bundle_bytes(tmp_path / "mistakes", with_mistakes())
    parts = [("bundle.zip", zipped(files))] if as_zip else list(files.items())
    response = await upload(editor, parts)
    page = await response.text()
    assert response.status == 422
    assert problems_in(page) == FIVE_MESSAGES
    assert "5 problems to fix" in page and "Nothing was changed" in page
    assert state(engine) == before
    assert "5 problem(s)" in audit(engine, "catalogue_upload")[0]["detail"]


# ---------------------------------------------------------------- hostile uploads

def bomb(size: int = 5 * 1024 * 1024) -> Dict[str, bytes]:
    """A providers.csv that is mostly one repeated row: it compresses about 1000 times."""
    files = bundle_bytes_cached()
    header = files["providers.csv"].split(b"\n", 1)[0] + b"\n"
    filler = b"x" * 60 + b"\n"
    files["providers.csv"] = header + filler * (size // len(filler))
    return files


_CACHE: Dict[str, Dict[str, bytes]] = {}


def bundle_bytes_cached() -> Dict[str, bytes]:
    if "valid" not in _CACHE:
        import tempfile
        with tempfile.TemporaryDirectory() as scratch:
            _CACHE["valid"] = bundle_bytes(Path(scratch) / "b")
    return dict(_CACHE["valid"])


def lying_sizes(data: bytes, claimed: int) -> bytes:
    """The zip with every member's uncompressed size in its headers replaced by `claimed`."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos, position = archive.infolist(), archive.start_dir
    for info in infos:
        struct.pack_into("<I", buffer, info.header_offset + 22, claimed)
        assert buffer[position:position + 4] == b"PK\x01\x02"
        struct.pack_into("<I", buffer, position + 24, claimed)
        name, extra, comment = struct.unpack_from("<HHH", buffer, position + 28)
        position += 46 + name + extra + comment
    return bytes(buffer)


def renamed(old: str, new: str) -> List[Tuple[str, bytes]]:
    files = bundle_bytes_cached()
    files[new] = files.pop(old)
    return list(files.items())


def with_cell(file: str, index: int, column: str, value: str) -> List[Tuple[str, bytes]]:
    import tempfile
    rows = bundle_rows()
    rows[file][index][column] = value
    with tempfile.TemporaryDirectory() as scratch:
        return list(bundle_bytes(Path(scratch) / "b", rows).items())


def latin1_programs() -> List[Tuple[str, bytes]]:
    files = bundle_bytes_cached()
    files["programs.csv"] = files["programs.csv"].decode().replace(
        "Learn to draw blood safely.", "Aprenda a sacar sangre, en español.").encode("latin-1")
    return list(files.items())


HOSTILE = {
    "zip-bomb": (lambda: [("bundle.zip", zipped(bomb()))],
                 "providers.csv in the zip expands more than 100 times"),
    "zip-bomb-lying-headers": (lambda: [("bundle.zip", lying_sizes(zipped(bomb()), 1000))],
                               "The zip file is damaged, or its headers give wrong sizes"),
    "climbs-out": (lambda: [("bundle.zip", zipped(bundle_bytes_cached(), "../"))],
                   "The zip entry '../credentials.csv' points outside the bundle's folder"),
    "absolute-path": (lambda: [("bundle.zip", zipped(bundle_bytes_cached(), "/tmp/"))],
                      "The zip entry '/tmp/credentials.csv' has an absolute path"),
    "folder-in-a-folder": (lambda: [("bundle.zip", zipped(bundle_bytes_cached(), "a/b/"))],
                           "The zip entry 'a/b/credentials.csv' is in a folder inside a folder"),
    "two-top-folders": (lambda: [("bundle.zip", zipped({
        **{f"a/{n}": d for n, d in list(bundle_bytes_cached().items())[:3]},
        **{f"b/{n}": d for n, d in list(bundle_bytes_cached().items())[3:]}}))],
        "The zip holds 'a/', 'b/'. A bundle zip holds the seven files, or one folder"),
    "not-a-zip": (lambda: [("bundle.zip", b"this is not a zip at all")],
                  "This file is not a zip archive that can be opened"),
    "unknown-file-in-zip": (lambda: [("bundle.zip", zipped({
        **bundle_bytes_cached(), "notes.txt": b"hello"}))],
        "Not a bundle file: 'notes.txt'. A bundle holds exactly these files: providers.csv"),
    "unknown-csv-name": (lambda: renamed("programs.csv", "programas.csv"),
                         "Not a bundle file: 'programas.csv' (did you mean 'programs.csv'?)"),
    "spreadsheet-not-csv": (lambda: [*renamed("programs.csv", "x")[:-1], (
        "programs.csv", zipped({"xl/workbook.xml": b"<workbook/>"}))],
        "programs.csv is not a CSV file (it holds binary data"),
    "zip-and-csv-together": (lambda: [("bundle.zip", zipped(bundle_bytes_cached())),
                                      ("programs.csv", b"id\n")],
                             "Upload either one .zip file or the seven .csv files"),
}


HOSTILE_RAW = {
    "path-as-file-name": (lambda: renamed("programs.csv", "../programs.csv"),
                          "Not a bundle file: '../programs.csv'"),
    # (aiohttp hands the name over without its leading "/")
    "absolute-file-name": (lambda: renamed("programs.csv", "/etc/programs.csv"),
                           "etc/programs.csv' (did you mean 'programs.csv'?)"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE) + sorted(HOSTILE_RAW))
async def test_a_hostile_upload_gets_a_clear_message_and_changes_nothing(
        editor, catalogue_world, kind):
    engine = catalogue_world["engine"]
    before = state(engine)
    if kind in HOSTILE:
        parts, message = HOSTILE[kind]
        response = await upload(editor, parts())
    else:
        parts, message = HOSTILE_RAW[kind]
        response = await upload_raw(editor, parts())
    page = html.unescape(await response.text())
    assert response.status == 422, page
    assert message in page
    assert "Nothing was changed." in page
    assert state(engine) == before
    assert audit(engine, "catalogue_upload")[0]["detail"].startswith("refused: ")


FORMULAS = {
    "equals": (("programs", 0, "description", '=HYPERLINK("http://evil.example","Click")'),
               "programs.csv:2: description: '=HYPERLINK(\"http://evil.example\",\"Click…' "
               "starts with '=', so a spreadsheet would run it as a formula: begin it with a "
               "letter or a digit instead"),
    "plus": (("providers", 0, "phone", "+1 503 555 0101"),
             "providers.csv:2: phone: '+1 503 555 0101' starts with '+', so a spreadsheet "
             "would run it as a formula: begin it with a letter or a digit instead"),
    "minus": (("services", 0, "cost", "-5 dollars"),
              "services.csv:2: cost: '-5 dollars' starts with '-', so a spreadsheet would run "
              "it as a formula: begin it with a letter or a digit instead"),
    "at-in-a-list": (("programs", 0, "keywords", "cna; @SUM(A1)"),
                     "programs.csv:2: keywords: '@SUM(A1)' starts with '@', so a spreadsheet "
                     "would run it as a formula: begin it with a letter or a digit instead"),
    # A negative number is no formula risk (it is stored as a number), and the format has
    # none: the validator's own message says so.
    "negative-number": (("programs", 2, "cost_usd", "-5"),
                        "programs.csv:4: cost_usd: '-5' must be a number of 0 or more"),
}


@pytest.mark.parametrize("kind", sorted(FORMULAS))
async def test_a_cell_that_starts_like_a_formula_is_refused(editor, catalogue_world, kind):
    engine = catalogue_world["engine"]
    before = state(engine)
    (file, index, column, value), message = FORMULAS[kind]
    response = await upload(editor, with_cell(file, index, column, value))
    assert response.status == 422
    assert problems_in(await response.text()) == [message]
    assert state(engine) == before


async def test_a_file_that_is_not_utf8_is_named_and_nothing_changes(editor, catalogue_world):
    before = state(catalogue_world["engine"])
    response = await upload(editor, latin1_programs())
    problems = problems_in(await response.text())
    # First the file; then what other files' references to its programs cannot find.
    assert problems[0] == "programs.csv:3: -: is not UTF-8 text (save it as CSV UTF-8)"
    assert all("is not in programs.csv" in p for p in problems[1:])
    assert state(catalogue_world["engine"]) == before


async def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(
        small_editor, catalogue_world):
    engine = catalogue_world["engine"]
    before = state(engine)
    files = bundle_bytes_cached()
    others = [(n, d) for n, d in files.items() if n != "services.csv"]
    big = files["services.csv"] + b"\n" * (300 * 1024)  # far over 50 KB: refused unread
    response = await upload(small_editor, [*others, ("services.csv", big)])
    page = html.unescape(await response.text())
    assert response.status == 413
    assert "The upload is larger than the 51 KB limit. Nothing was changed." in page
    # Just over the limit: read, counted, refused.
    near = files["services.csv"] + b"\n" * (60 * 1024)
    response = await upload(small_editor, [*others, ("services.csv", near)])
    page = html.unescape(await response.text())
    assert response.status == 422
    assert "more than the 51 KB limit" in page and "Nothing was changed." in page
    assert state(engine) == before


async def test_a_zip_that_unpacks_too_big_is_refused(small_editor, catalogue_world):
    before = state(catalogue_world["engine"])
    files = bundle_bytes_cached()
    files["services.csv"] += b"\n" * (300 * 1024)  # 300 KB unpacked, a few hundred bytes zipped
    response = await upload(small_editor, [("bundle.zip", zipped(files))])
    page = html.unescape(await response.text())
    assert response.status == 422
    assert "The zip would unpack to 0.3 MB, more than the 0.2 MB a bundle may hold." in page
    assert state(catalogue_world["engine"]) == before


async def test_a_zip_with_one_top_folder_and_mac_leftovers_is_accepted(editor, tmp_path):
    files = {**bundle_bytes_cached(), "__MACOSX/._providers.csv": b"\x00\x05junk"}
    response = await upload(editor, [("oregon.zip", zipped(files, "oregon/"))],
                            allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/console/catalogue/preview/")


# ---------------------------------------------------------------- preview and apply

def changed_rows():
    rows = bundle_rows()
    rows["programs"][0]["cost_usd"] = "150"  # riverbend-cna
    rows["programs"][0]["title"] = "Nursing Assistant, with English"
    del rows["programs"][3]  # open-door-lpn-prep ...
    rows["pathway_steps"][1]["program_ids"] = ""  # ... which a ladder step named
    rows["programs"].append(dict(rows["programs"][2], id="cedar-forklift",
                                 title="Forklift Operator Basics", keywords="forklift"))
    return rows


async def preview_of(client, tmp_path, rows) -> Tuple[str, str]:
    response = await upload(client, [("bundle.zip", zipped(bundle_bytes(tmp_path / "n", rows)))],
                            allow_redirects=False)
    assert response.status == 303, await response.text()
    location = response.headers["Location"]
    return location, html.unescape(await (await client.get(location)).text())


def summary_row(page: str, file: str) -> List[int]:
    found = re.search(rf'<th scope="row">{re.escape(file)}</th>((?:<td>\d+</td>)+)', page)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", found.group(1))]


async def test_the_preview_shows_added_changed_and_removed_rows_cell_by_cell(
        editor, catalogue_world, tmp_path):
    before = state(catalogue_world["engine"])
    _, page = await preview_of(editor, tmp_path, changed_rows())
    # added, changed, removed, unchanged
    assert summary_row(page, "programs.csv") == [1, 1, 1, 2]
    assert summary_row(page, "pathway_steps.csv") == [0, 1, 0, 3]
    assert summary_row(page, "providers.csv") == [0, 0, 0, 4]
    assert "programs.csv: 1 added, 1 changed, 1 removed" in page
    assert "<code>cedar-forklift</code> Forklift Operator Basics" in page
    assert "<code>open-door-lpn-prep</code> LPN Prep Online" in page
    cells = re.findall(r'<td>([^<]*)</td><td class="old">([^<]*)</td>'
                       r'<td class="new">([^<]*)</td>', page)
    assert ("cost_usd", "0", "150") in cells
    assert ("title", "Nursing Assistant with English Support",
            "Nursing Assistant, with English") in cells
    assert ("program_ids", "open-door-lpn-prep", "") in cells
    assert state(catalogue_world["engine"])[:2] == before[:2]  # a preview changes nothing


async def test_apply_records_who_when_checksums_and_counts(editor, catalogue_world, tmp_path):
    engine = catalogue_world["engine"]
    rows = changed_rows()
    location, page = await preview_of(editor, tmp_path / "up", rows)
    token = location.rsplit("/", 1)[1]
    assert f'name="token" value="{token}"' in page
    started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    response = await editor.post("/console/catalogue/apply", allow_redirects=False, data={
        "token": token, "csrf": await csrf_of(editor, "/console/catalogue")})
    assert response.status == 303
    record = latest_import(engine)
    assert response.headers["Location"] == f"/console/catalogue?applied={record['id']}"
    files = bundle_bytes(tmp_path / "expected", rows)
    assert record["username"] == "eve"
    assert record["imported_at"].replace(tzinfo=None) >= started - dt.timedelta(seconds=1)
    assert record["checksums"] == {name: sha256(data) for name, data in files.items()}
    assert record["counts"] == {**COUNTS, "programs": 4}
    assert record["source"] == "upload of bundle.zip"
    assert catalogue_rows(engine) == catalogue_rows(engine_with(tmp_path / "ref", rows))
    details = [e["detail"] for e in store.audit_entries(engine)[:2]]
    assert details[0] == (f"import {record['id']}: 4 providers, 4 programs, 5 credentials, "
                          "5 occupations, 2 pathways, 4 pathway steps, 3 services")
    assert details[1] == "upload of bundle.zip: valid, waiting to be applied"
    assert [e["action"] for e in store.audit_entries(engine)[:2]] == [
        "catalogue_apply", "catalogue_upload"]
    page = await (await editor.get(response.headers["Location"])).text()
    assert f"Import {record['id']} is the catalogue now" in page
    # The token was used up: applying again finds nothing waiting.
    again = await editor.post("/console/catalogue/apply", data={
        "token": token, "csrf": await csrf_of(editor, "/console/catalogue")})
    assert again.status == 404


def engine_with(folder: Path, rows):
    from tests.knowledge.bundles import ready
    engine = ready(f"sqlite:///{folder.parent / (folder.name + '.db')}")
    import_bundle(engine, write_bundle(folder, rows))
    return engine


async def test_only_the_uploader_can_apply_and_not_over_a_later_import(
        editor, catalogue_world, tmp_path, monkeypatch):
    engine = catalogue_world["engine"]
    location, _ = await preview_of(editor, tmp_path, changed_rows())
    token = location.rsplit("/", 1)[1]
    other = await start_console(catalogue_world, monkeypatch)
    try:
        await log_in(other, "ed")
        assert (await other.get(location)).status == 404
        response = await other.post("/console/catalogue/apply", data={
            "token": token, "csrf": await csrf_of(other, "/console/catalogue")})
        assert response.status == 404
    finally:
        await other.close()
    before = state(engine)
    import_bundle(engine, write_bundle(tmp_path / "meanwhile"))  # someone else's import
    moved = state(engine)
    response = await editor.post("/console/catalogue/apply", data={
        "token": token, "csrf": await csrf_of(editor, "/console/catalogue")})
    assert response.status == 409
    assert "out of date" in await response.text()
    assert state(engine) == moved and moved[0] == before[0]


# ---------------------------------------------------------------- history and restore

async def test_restore_brings_back_the_earlier_catalogue(editor, catalogue_world, tmp_path):
    engine = catalogue_world["engine"]
    first = latest_import(engine)["id"]
    original = catalogue_rows(engine)
    location, _ = await preview_of(editor, tmp_path, changed_rows())
    await editor.post("/console/catalogue/apply", data={
        "token": location.rsplit("/", 1)[1], "csrf": await csrf_of(editor, "/console/catalogue")})
    assert catalogue_rows(engine) != original

    history = html.unescape(await (await editor.get("/console/catalogue/history")).text())
    assert f'href="/console/catalogue/history/{first}/restore"' in history
    assert "current catalogue" in history and "eve" in history
    confirm = html.unescape(await (await editor.get(
        f"/console/catalogue/history/{first}/restore")).text())
    assert f"Restore import {first}?" in confirm
    assert "programs.csv: 1 added, 1 changed, 1 removed" in confirm  # the way back
    assert catalogue_rows(engine) != original  # asking changes nothing

    response = await editor.post(f"/console/catalogue/history/{first}/restore",
                                 allow_redirects=False,
                                 data={"csrf": await csrf_of(editor, "/console/catalogue")})
    assert response.status == 303
    assert catalogue_rows(engine) == original
    record = latest_import(engine)
    assert (record["restored_from"], record["username"]) == (first, "eve")
    assert record["counts"] == COUNTS
    entry = audit(engine, "catalogue_restore")[0]
    assert entry["username"] == "eve"
    assert entry["detail"].startswith(f"import {record['id']} restores import {first}: ")
    # The current catalogue cannot be "restored" again.
    again = await editor.post(f"/console/catalogue/history/{record['id']}/restore",
                              data={"csrf": await csrf_of(editor, "/console/catalogue")})
    assert again.status == 409


# ---------------------------------------------------------------- download

async def download(client) -> bytes:
    response = await client.get("/console/catalogue/bundle.zip")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="catalogue-')
    return await response.read()


async def test_the_downloaded_zip_imports_back_to_the_same_catalogue(
        editor, catalogue_world, tmp_path):
    engine = catalogue_world["engine"]
    data = await download(editor)
    assert audit(engine, "catalogue_export")[0]["username"] == "eve"
    # Uploaded again: valid, and nothing would change.
    response = await upload(editor, [("catalogue.zip", data)], allow_redirects=False)
    page = html.unescape(await (await editor.get(response.headers["Location"])).text())
    for name in COUNTS:
        assert summary_row(page, f"{name}.csv") == [0, 0, 0, COUNTS[name]]
    # Imported into another database: the same counts, the same rows.
    folder = tmp_path / "downloaded"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    other = engine_with(tmp_path / "unused", bundle_rows())
    assert import_bundle(other, folder).counts == COUNTS
    assert catalogue_rows(other) == catalogue_rows(engine)


async def test_the_download_neutralises_formula_cells(editor, catalogue_world, tmp_path):
    """The command line accepts a cell starting with "="; a spreadsheet opening the
    download must show it as text, not run it."""
    rows = bundle_rows()
    rows["programs"][0]["description"] = '=HYPERLINK("http://evil.example","Click")'
    rows["providers"][0]["phone"] = "+1 503 555 0101"
    import_bundle(catalogue_world["engine"], write_bundle(tmp_path / "cli", rows))
    with zipfile.ZipFile(io.BytesIO(await download(editor))) as archive:
        programs = archive.read("programs.csv").decode()
        providers = archive.read("providers.csv").decode()
    assert '"\'=HYPERLINK(""http://evil.example"",""Click"")"' in programs
    assert ",'+1 503 555 0101," in providers
    assert "\n=" not in programs and ",=" not in programs


# ---------------------------------------------------------------- who may

async def test_a_navigator_gets_403_on_every_catalogue_page_and_form(console, world):
    await log_in(console, "ana")
    page = await (await console.get("/console/")).text()
    assert "/console/catalogue" not in page  # no link to it
    token = await csrf_of(console, "/console/")
    for method, path in ROUTES:
        data: Optional[dict] = {"csrf": token, "token": "a" * 43} if method == "POST" else None
        response = await console.request(method, path, data=data, allow_redirects=False)
        assert response.status == 403, (method, path)
    with world["engine"].connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.CatalogueImport)).scalar() == 0


async def test_an_editor_and_an_admin_see_the_catalogue_link(editor, console):
    assert 'href="/console/catalogue">Catalogue</a>' in await (await editor.get(
        "/console/")).text()
    await log_in(console, "boss")
    assert (await console.get("/console/catalogue")).status == 200


async def test_the_catalogue_page_lists_rows_nobody_checked_lately(
        editor, catalogue_world, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", "2031-01-01")
    monkeypatch.setenv("NAVIGATOR_STALE_DAYS", "70")  # checked before 2030-10-23 is stale
    page = html.unescape(await (await editor.get("/console/catalogue")).text())
    stale = page.split('id="stale-heading"', 1)[1]
    assert "Not checked in the last 70 days" in page
    # Cedar Works: welding checked 2030-10-15; Riverbend: phlebotomy never checked.
    assert re.search(r"<h3>Cedar Works Learning Center</h3>.*?cedar-welding</code></td>"
                     r"<td>Welding Basics</td><td>2030-10-15</td>", stale, re.S)
    assert re.search(r"riverbend-phlebotomy</code></td><td>Phlebotomy Technician</td>"
                     r"<td>never</td>", stale)
    assert "<h3>Little Steps</h3>" in stale and "<h3>Help Line Network</h3>" in stale
    assert "riverbend-cna" not in stale and "ride-help" not in stale  # checked 2030-11-01

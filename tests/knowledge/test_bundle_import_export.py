"""Importing and exporting bundles as navigators do it (design/knowledge-bundle.md).

Spreadsheet-saved files import to the same catalogue; an export imports back to the same
catalogue and exports to the same files; an import replaces the catalogue in one
transaction that readers never see half done, and leaves every other table alone.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle import check_bundle, export_bundle, import_bundle
from knowledge.bundle.spec import FILES as SPEC
from knowledge.db import make_engine
from tests.knowledge.bundles import FILES, bundle_rows, catalogue_rows, ready, write_bundle


def same_files(a: Path, b: Path) -> bool:
    names = [f"{name}.csv" for name in FILES]
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def imports_recorded(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(m.CatalogueImport)).scalar_one()


def test_spreadsheet_saved_bundle_imports_to_the_same_catalogue(engine, tmp_path):
    excel = write_bundle(tmp_path / "excel", spreadsheet=True)
    raw = (excel / "programs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n,,," in raw and b" riverbend-cna " in raw
    assert check_bundle(excel).warnings == []  # the BOM is not part of a column name

    import_bundle(engine, write_bundle(tmp_path / "clean"))
    clean = catalogue_rows(engine)
    result = import_bundle(engine, excel)
    assert result.counts == check_bundle(tmp_path / "clean").counts()
    assert catalogue_rows(engine) == clean


def test_export_imports_back_to_the_same_catalogue_and_files(engine, second_database_url,
                                                             tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "clean"))
    first = tmp_path / "first"
    assert export_bundle(engine, first) == {f"{n}.csv": len(rows)
                                            for n, rows in bundle_rows().items()}
    assert check_bundle(first).warnings == []

    second = ready(second_database_url)
    try:
        import_bundle(second, first)
        export_bundle(second, tmp_path / "second")
        assert catalogue_rows(second) == catalogue_rows(engine)
    finally:
        second.dispose()
    assert same_files(first, tmp_path / "second")


def test_export_writes_every_column_in_plain_forms(engine, tmp_path):
    rows = bundle_rows()
    rows["programs"][1]["cost_usd"] = "$1,250.50"
    import_bundle(engine, write_bundle(tmp_path / "clean", rows))
    out = tmp_path / "out"
    export_bundle(engine, out)
    for name, columns in SPEC.items():
        header = (out / name).read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(c.name for c in columns)
    programs = (out / "programs.csv").read_text(encoding="utf-8")
    assert ("riverbend-phlebotomy,riverbend-cc,Phlebotomy Technician,healthcare,false,"
            "Learn to draw blood safely.,31-9097,phlebotomy-cert,8,16,weekend,in_person,en,,"
            "1250.5,") in programs
    assert ",day; evening,hybrid,en; es,true,0," in programs
    occupations = (out / "occupations.csv").read_text(encoding="utf-8")
    assert "\n31-9097,Phlebotomists,21.5,44720," in occupations
    assert "\n29-2061,Licensed Practical and Licensed Vocational Nurses,32.1,66770,Oregon," \
           "fictional,unknown,," in occupations
    steps = (out / "pathway_steps.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in steps[1:]] == [
        ["nursing", "1"], ["nursing", "2"], ["nursing", "3"], ["welding", "1"]]


def test_import_replaces_the_catalogue(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "first"))
    rows = bundle_rows()
    rows["programs"] = [p for p in rows["programs"] if p["id"] != "open-door-lpn-prep"]
    rows["pathway_steps"][1]["program_ids"] = ""
    rows["services"] = rows["services"][:1]
    rows["providers"][1]["name"] = "Cedar Works Skills Center"
    rows["providers"][1]["counties"] = "Deschutes"
    import_bundle(engine, write_bundle(tmp_path / "second", rows))

    with engine.connect() as conn:
        assert conn.execute(select(m.Program.id).order_by(m.Program.id)).scalars().all() == [
            "cedar-welding", "riverbend-cna", "riverbend-phlebotomy"]
        assert conn.execute(select(m.Service.id)).scalars().all() == ["ride-help"]
        assert conn.execute(select(m.Provider.name).where(m.Provider.id == "cedar-works")
                            ).scalar_one() == "Cedar Works Skills Center"
        links = conn.execute(select(m.program_occupations.c.program_id)).scalars().all()
        counties = conn.execute(select(m.provider_counties.c.county).where(
            m.provider_counties.c.provider_id == "cedar-works")).scalars().all()
        steps = conn.execute(select(m.step_programs.c.program_id)).scalars().all()
    assert "open-door-lpn-prep" not in links and counties == ["Deschutes"]
    assert sorted(steps) == ["cedar-welding", "riverbend-cna"]
    assert imports_recorded(engine) == 2
    # Importing the first bundle again brings everything back.
    import_bundle(engine, tmp_path / "first")
    fresh = catalogue_rows(engine)
    assert len(fresh["programs"]) == 4 and len(fresh["services"]) == 3


def changed_bundle(folder: Path) -> Path:
    rows = bundle_rows()
    for program in rows["programs"]:
        program["title"] += " (2031)"
    rows["services"].pop()
    return write_bundle(folder, rows)


def reader_engine(url: str) -> Engine:
    """A second connection pool, as the action server has; it must never wait on a lock."""
    if url.startswith("postgresql"):
        return create_engine(url, future=True, connect_args={
            "options": "-c lock_timeout=5000 -c statement_timeout=10000"})
    return make_engine(url)


def on_each_write(engine: Engine, callback):
    """Calls `callback(statement)` after each write the import makes; returns the hook."""
    def after(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT", "DELETE")):
            callback(statement)
    event.listen(engine, "after_cursor_execute", after)
    return after


def test_readers_see_the_old_catalogue_until_the_new_one_is_complete(engine, database_url,
                                                                       tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "old"))
    reader = reader_engine(database_url)
    try:
        old = catalogue_rows(reader)
        seen: List[str] = []

        def look(statement: str) -> None:
            assert catalogue_rows(reader) == old, f"a reader saw a mix after: {statement}"
            seen.append(statement)

        hook = on_each_write(engine, look)
        import_bundle(engine, changed_bundle(tmp_path / "new"))
        event.remove(engine, "after_cursor_execute", hook)
        new = catalogue_rows(reader)
    finally:
        reader.dispose()
    # Every table was emptied and refilled while the reader kept looking.
    assert len(seen) >= 2 * len(m.CATALOGUE_TABLES)
    assert new != old and new == catalogue_rows(engine)
    assert [p["title"] for p in new["programs"]][0].endswith(" (2031)")
    assert len(new["services"]) == 2


def test_a_failure_halfway_through_keeps_the_old_catalogue(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "old"))
    old = catalogue_rows(engine)

    class PowerCut(Exception):
        pass

    def fail_after_programs(statement: str) -> None:
        if "INSERT INTO programs" in statement:
            raise PowerCut()

    hook = on_each_write(engine, fail_after_programs)
    with pytest.raises(PowerCut):
        import_bundle(engine, changed_bundle(tmp_path / "new"))
    event.remove(engine, "after_cursor_execute", hook)
    assert catalogue_rows(engine) == old
    assert imports_recorded(engine) == 1
    # Nothing is left locked or half written: the next import goes through.
    import_bundle(engine, tmp_path / "new")
    assert len(catalogue_rows(engine)["services"]) == 2


# Rasa's SQL tracker store keeps transcripts in "events", in the same database.
transcripts = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Integer),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def other_tables(engine: Engine) -> Dict[str, List[Dict[str, Any]]]:
    catalogue = {t.name for t in m.CATALOGUE_TABLES} | {m.CatalogueImport.__tablename__}
    found = MetaData()
    found.reflect(engine)
    with engine.connect() as conn:
        return {name: [dict(r) for r in conn.execute(select(table).order_by(
                    *table.primary_key.columns) if table.primary_key else select(table)
                ).mappings()]
                for name, table in found.tables.items() if name not in catalogue}


def test_import_never_touches_referrals_users_or_transcripts(engine, tmp_path):
    from bot.records.schema import upgrade  # the navigator's own tables, beside these

    upgrade(engine.url.render_as_string(hide_password=False))
    import_bundle(engine, write_bundle(tmp_path / "first"))
    found = MetaData()
    found.reflect(engine, only=["users", "referrals", "referral_events", "audit_log"])
    now = dt.datetime(2030, 11, 2, 9, 30, tzinfo=dt.timezone.utc)
    transcripts.create(engine)
    with engine.begin() as conn:
        conn.execute(insert(found.tables["users"]), [dict(
            username="navigator-one", password_hash="not-a-real-hash", role="navigator",
            teams=["central-oregon"], active=True, created_at=now)])
        conn.execute(insert(found.tables["referrals"]), [dict(
            code="ACD346", sender_id="learner-1", channel="web", team="statewide",
            status="new", program_id="open-door-lpn-prep", first_name="Sam",
            contact_method="text", phone="+15035550199", summary={"topic": "lpn"},
            consent_text="You may contact me.", consent_at=now, assigned_to=1,
            created_at=now, updated_at=now)])
        conn.execute(insert(found.tables["referral_events"]), [dict(
            referral_id=1, at=now, actor="navigator-one", from_status="new",
            to_status="contacted")])
        conn.execute(insert(found.tables["audit_log"]), [dict(
            at=now, username="navigator-one", action="view", referral_id=1)])
        conn.execute(insert(transcripts), [dict(
            sender_id="learner-1", type_name="user", timestamp=1, intent_name="greet",
            data='{"text": "hi"}')])
    before = other_tables(engine)
    assert {"users", "referrals", "referral_events", "audit_log", "events",
            "alembic_version"} <= set(before)
    assert all(before[name] for name in ("users", "referrals", "events"))

    rows = bundle_rows()  # the program the referral names is gone from the new bundle
    rows["programs"] = [p for p in rows["programs"] if p["id"] != "open-door-lpn-prep"]
    rows["pathway_steps"][1]["program_ids"] = ""
    import_bundle(engine, write_bundle(tmp_path / "second", rows))
    assert other_tables(engine) == before
    with engine.connect() as conn:
        history = conn.execute(select(m.CatalogueImport.source).order_by(
            m.CatalogueImport.id)).scalars().all()
    assert history == [str((tmp_path / "first").resolve()), str((tmp_path / "second").resolve())]


def test_both_soc_forms_name_the_same_occupation(engine, tmp_path):
    rows = bundle_rows()
    assert rows["occupations"][0]["soc"] == "31-9097.00"
    assert rows["programs"][1]["occupations"] == "31-9097"
    rows["pathway_steps"][3]["occupation"] = "29-1141.00"
    import_bundle(engine, write_bundle(tmp_path / "b", rows))
    with engine.connect() as conn:
        socs = conn.execute(select(m.Occupation.soc).order_by(m.Occupation.soc)).scalars().all()
        linked = conn.execute(select(m.program_occupations.c.soc).where(
            m.program_occupations.c.program_id == "riverbend-phlebotomy")).scalars().all()
        rn = conn.execute(select(m.PathwayStep.occupation_soc).where(
            m.PathwayStep.step == 3)).scalar_one()
    assert socs == ["29-1141", "29-2061", "31-1131", "31-9097", "51-4121"]
    assert linked == ["31-9097"] and rn == "29-1141"
    # Written the other way round, the catalogue is the same.
    flipped = bundle_rows()
    flipped["occupations"][0]["soc"] = "31-9097"
    flipped["programs"][1]["occupations"] = "31-9097.00"
    before = catalogue_rows(engine)
    import_bundle(engine, write_bundle(tmp_path / "flipped", flipped))
    after = catalogue_rows(engine)
    assert after["occupations"] == before["occupations"]
    assert after["program_occupations"] == before["program_occupations"]


@pytest.mark.parametrize("cell", ["$1,250.50", "1,250.50", " $1250.50 ", "1250.5"])
def test_spreadsheet_money_forms_parse(engine, tmp_path, cell):
    rows = bundle_rows()
    rows["programs"][1]["cost_usd"] = cell
    rows["occupations"][3]["median_annual_wage"] = "$108,160"
    import_bundle(engine, write_bundle(tmp_path / "b", rows))
    with engine.connect() as conn:
        cost = conn.execute(select(m.Program.cost_usd).where(
            m.Program.id == "riverbend-phlebotomy")).scalar_one()
        wage = conn.execute(select(m.Occupation.median_annual_wage).where(
            m.Occupation.soc == "29-1141")).scalar_one()
    assert Decimal(cost) == Decimal("1250.50") and Decimal(wage) == Decimal("108160")

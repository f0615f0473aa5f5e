"""Bundle format v1.1: the optional Spanish (`_es`) columns (docs/knowledge-bundle.md,
"Spanish text").

A bundle with them imports, its Spanish text reaches every search result and exports back
unchanged; a v1 bundle without them is still valid; an empty cell means no Spanish text.
The migration adds the columns to a catalogue already loaded and takes them away again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.bundle import check_bundle, export_bundle, import_bundle
from knowledge.bundle.spec import FILES as SPEC
from knowledge.bundle.spec import SPANISH
from knowledge.db import make_sessionmaker
from knowledge.schema import alembic_config, upgrade
from knowledge.search import (
    credential_details,
    occupation_wages,
    pathway_for,
    program_by_id,
    search_programs,
    search_services,
)
from tests.knowledge.bundles import FILES, Rows, bundle_rows, catalogue_rows, ready, write_bundle

pytestmark = pytest.mark.filterwarnings("ignore:Dialect sqlite")

ROOT = Path(__file__).resolve().parents[2]

# Spanish text for some rows of the test bundle; every other `_es` cell is left empty.
# Accents, commas and quotes on purpose: they must survive a CSV round trip.
SPANISH_TEXT: Dict[str, Dict[str, Dict[str, str]]] = {
    "programs": {
        "riverbend-cna": dict(
            title_es="Auxiliar de enfermería con apoyo en inglés",
            description_es="Prepárese para ser auxiliar de enfermería mientras mejora "
                           "su inglés.",
            cost_notes_es="WIOA puede pagar", prerequisites_es=""),
        "cedar-welding": dict(
            title_es="Soldadura básica",
            description_es='Soldadura práctica, con apoyo en lectura y "matemáticas".',
            cost_notes_es="SNAP 50/50 puede pagar", prerequisites_es=""),
        "riverbend-phlebotomy": dict(
            title_es="", description_es="", cost_notes_es="",
            prerequisites_es="Diploma de secundaria o GED"),
    },
    "credentials": {
        "cna-license": dict(name_es="Licencia de auxiliar de enfermería",
                            description_es="Licencia estatal para trabajar como auxiliar "
                                           "de enfermería."),
        "lpn-license": dict(name_es="Licencia de enfermería práctica", description_es=""),
        "welding-cert": dict(name_es="Certificado de soldadura",
                             description_es="Habilidades básicas de soldadura."),
    },
    "occupations": {
        "31-1131": dict(title_es="Auxiliares de enfermería", description_es=""),
        "51-4121": dict(title_es="Soldadores, cortadores y soldadores de latón",
                        description_es="Unen piezas de metal con calor."),
    },
    "pathways": {
        "nursing": dict(title_es="Escalera de enfermería",
                        description_es="De auxiliar de enfermería a enfermera titulada."),
    },
    "services": {
        "ride-help": dict(
            name_es="Ayuda con el transporte del valle",
            description_es="Pases de autobús gratis para ir a clase.",
            how_to_apply_es="Llame al 503-555-0111 y diga qué clase toma.",
            eligibility_es="Inscrito en un programa de capacitación", cost_es="Gratis"),
    },
}
KEY = {"occupations": "soc"}


def spanish_rows() -> Dict[str, Rows]:
    """The test bundle with every `_es` column, and Spanish words in the keywords."""
    rows = bundle_rows()
    for name, by_key in SPANISH_TEXT.items():
        columns = [f"{c}_es" for c in SPANISH[f"{name}.csv"]]
        for row in rows[name]:
            key = row[KEY.get(name, "id")].removesuffix(".00")
            row.update({c: "" for c in columns})
            row.update(by_key.get(key, {}))
    welding = next(p for p in rows["programs"] if p["id"] == "cedar-welding")
    welding["keywords"] += "; soldadura; soldador"
    return rows


def session_on(engine: Engine) -> Session:
    return make_sessionmaker(engine)()


def test_the_spec_has_exactly_the_contracts_spanish_columns():
    text = (ROOT / "docs" / "knowledge-bundle.md").read_text(encoding="utf-8")
    section = text.split("## Spanish text (v1.1, optional columns)", 1)[1].split("\n## ", 1)[0]
    documented = {
        file: tuple(re.findall(r"`([a-z_]+_es)`", columns))
        for file, columns in re.findall(r"^\| ([a-z_]+\.csv) \| (.+) \|$", section, re.M)
    }
    assert documented == {f: tuple(f"{c}_es" for c in cols) for f, cols in SPANISH.items()}
    for file, columns in SPANISH.items():
        spec = {c.name: c for c in SPEC[file]}
        for column in columns:
            assert column in spec  # the English column it translates
            spanish = spec[f"{column}_es"]
            assert (spanish.kind, spanish.required, spanish.is_list) == ("text", False, False)


def test_a_v1_bundle_without_spanish_columns_is_still_valid(engine, tmp_path):
    folder = write_bundle(tmp_path / "v1")
    assert "_es" not in (folder / "programs.csv").read_text(encoding="utf-8")
    assert check_bundle(folder).warnings == []
    import_bundle(engine, folder)
    with engine.connect() as conn:
        for model, columns in ((m.Program, SPANISH["programs.csv"]),
                               (m.Service, SPANISH["services.csv"]),
                               (m.Credential, SPANISH["credentials.csv"]),
                               (m.Occupation, SPANISH["occupations.csv"]),
                               (m.Pathway, SPANISH["pathways.csv"])):
            table = model.__table__
            filled = conn.execute(select(func.count()).select_from(table).where(
                func.coalesce(*(table.c[f"{c}_es"] for c in columns)).is_not(None))
            ).scalar_one()
            assert filled == 0, table.name
    with session_on(engine) as session:
        program = program_by_id(session, "riverbend-cna")
        assert program.title == "Nursing Assistant with English Support"
        assert (program.title_es, program.description_es, program.cost_notes_es,
                program.prerequisites_es) == (None, None, None, None)
        assert program.credentials == ["Nursing Assistant License"]
        assert program.credentials_es == [None]
        service = search_services(session, text="bus")[0]
        assert service.id == "ride-help" and service.name_es is None and service.cost_es is None
    # Exported, it gains the Spanish headers with empty cells, and imports the same again.
    out = tmp_path / "out"
    export_bundle(engine, out)
    header = (out / "programs.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",source,title_es,description_es,cost_notes_es,prerequisites_es")
    before = catalogue_rows(engine)
    import_bundle(engine, out)
    assert catalogue_rows(engine) == before


def test_a_bundle_with_spanish_columns_imports_them(engine, tmp_path):
    folder = write_bundle(tmp_path / "es", spanish_rows(), spreadsheet=True)
    assert check_bundle(folder).warnings == []  # the `_es` columns are known ones
    import_bundle(engine, folder)
    with engine.connect() as conn:
        programs = {r.id: r for r in conn.execute(select(m.Program.__table__))}
        services = {r.id: r for r in conn.execute(select(m.Service.__table__))}
        occupations = {r.soc: r for r in conn.execute(select(m.Occupation.__table__))}
        pathways = {r.id: r for r in conn.execute(select(m.Pathway.__table__))}
        credentials = {r.id: r for r in conn.execute(select(m.Credential.__table__))}
    assert programs["riverbend-cna"].title_es == "Auxiliar de enfermería con apoyo en inglés"
    assert programs["cedar-welding"].description_es == (
        'Soldadura práctica, con apoyo en lectura y "matemáticas".')
    # An empty cell is "no Spanish text": NULL, never an empty string.
    assert programs["riverbend-cna"].prerequisites_es is None
    assert programs["riverbend-phlebotomy"].title_es is None
    assert programs["riverbend-phlebotomy"].prerequisites_es == "Diploma de secundaria o GED"
    assert programs["open-door-lpn-prep"].description_es is None
    # The English text is untouched.
    assert programs["cedar-welding"].title == "Welding Basics"
    assert services["ride-help"].cost_es == "Gratis" and services["ride-help"].cost == "Free"
    assert services["help-line"].name_es is None
    assert occupations["51-4121"].description_es == "Unen piezas de metal con calor."
    assert occupations["31-1131"].description_es is None
    assert pathways["nursing"].title_es == "Escalera de enfermería"
    assert pathways["welding"].title_es is None
    assert credentials["lpn-license"].name_es == "Licencia de enfermería práctica"
    assert credentials["lpn-license"].description_es is None


def test_only_some_spanish_columns_is_fine(engine, tmp_path):
    rows = spanish_rows()
    headers = {name: [c for c in rows[name][0] if not c.endswith("_es")] for name in FILES}
    headers["programs"].append("title_es")
    folder = write_bundle(tmp_path / "some", rows, headers=headers)
    assert check_bundle(folder).warnings == []
    import_bundle(engine, folder)
    with session_on(engine) as session:
        program = program_by_id(session, "cedar-welding")
    assert program.title_es == "Soldadura básica" and program.description_es is None


def test_spanish_text_is_on_every_search_result(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "es", spanish_rows()))
    with session_on(engine) as session:
        # Spanish words learners use are keywords, so a Spanish search finds the program.
        found = search_programs(session, text="soldadura")
        assert [p.id for p in found] == ["cedar-welding"]
        welding = found[0]
        assert welding.title == "Welding Basics" and welding.title_es == "Soldadura básica"
        assert welding.cost_notes == "SNAP 50/50 can pay"
        assert welding.cost_notes_es == "SNAP 50/50 puede pagar"
        assert welding.prerequisites_es is None
        assert welding.credentials == ["Welding Skills Certificate"]
        assert welding.credentials_es == ["Certificado de soldadura"]
        assert welding.occupations == ["Welders, Cutters, Solderers, and Brazers"]
        assert welding.occupations_es == ["Soldadores, cortadores y soldadores de latón"]

        cna = program_by_id(session, "riverbend-cna")
        assert cna.description_es.startswith("Prepárese para ser auxiliar")
        assert cna.occupations_es == ["Auxiliares de enfermería"]
        lpn = program_by_id(session, "open-door-lpn-prep")
        assert lpn.title_es is None and lpn.occupations_es == [None]
        assert lpn.credentials == [] and lpn.credentials_es == []

        ride = search_services(session, text="bus", county="Marion")[0]
        assert (ride.id, ride.name, ride.name_es) == (
            "ride-help", "Valley Ride Help", "Ayuda con el transporte del valle")
        assert ride.description_es == "Pases de autobús gratis para ir a clase."
        assert ride.how_to_apply_es == "Llame al 503-555-0111 y diga qué clase toma."
        assert ride.eligibility_es == "Inscrito en un programa de capacitación"
        assert ride.cost_es == "Gratis"
        line = search_services(session, text="rent")[0]
        assert line.id == "help-line" and line.name_es is None and line.cost_es is None

        cred = credential_details(session, "cna")
        assert cred.id == "cna-license"
        assert cred.name_es == "Licencia de auxiliar de enfermería"
        assert cred.description_es.startswith("Licencia estatal")
        assert [(c.id, c.name_es) for c in cred.stacks_to] == [
            ("lpn-license", "Licencia de enfermería práctica")]
        assert [(p.id, p.title_es) for p in cred.programs] == [
            ("riverbend-cna", "Auxiliar de enfermería con apoyo en inglés")]
        assert credential_details(session, "rn-license").name_es is None

        wage = occupation_wages(session, "welder")[0]
        assert wage.soc == "51-4121"
        assert wage.title_es == "Soldadores, cortadores y soldadores de latón"
        assert wage.description is None  # an empty cell in the bundle
        assert wage.description_es == "Unen piezas de metal con calor."

        ladder = pathway_for(session, occupation="31-1131")[0]
        assert ladder.id == "nursing" and ladder.title_es == "Escalera de enfermería"
        assert ladder.description_es == "De auxiliar de enfermería a enfermera titulada."
        assert [(s.step, s.occupation_es, s.credential_es) for s in ladder.steps] == [
            (1, "Auxiliares de enfermería", "Licencia de auxiliar de enfermería"),
            (2, None, "Licencia de enfermería práctica"),
            (3, None, None),
        ]
        assert ladder.steps[0].programs[0].title_es == (
            "Auxiliar de enfermería con apoyo en inglés")
        assert ladder.steps[1].programs[0].title_es is None
        welding_ladder = pathway_for(session, occupation="51-4121")[0]
        assert welding_ladder.title_es is None and welding_ladder.description_es is None


def test_export_writes_spanish_text_back(engine, second_database_url, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "es", spanish_rows(), spreadsheet=True))
    first = tmp_path / "first"
    export_bundle(engine, first)
    assert check_bundle(first).warnings == []
    for name, columns in SPEC.items():
        header = (first / name).read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(c.name for c in columns)
    programs = (first / "programs.csv").read_text(encoding="utf-8")
    assert ',Auxiliar de enfermería con apoyo en inglés,Prepárese para ser auxiliar de ' \
           'enfermería mientras mejora su inglés.,WIOA puede pagar,\n' in programs
    assert ',"Soldadura práctica, con apoyo en lectura y ""matemáticas"".",' in programs
    services = (first / "services.csv").read_text(encoding="utf-8")
    ride = next(line for line in services.splitlines() if line.startswith("ride-help,"))
    assert ride.endswith(
        ",Ayuda con el transporte del valle,Pases de autobús gratis para ir a clase.,"
        "Llame al 503-555-0111 y diga qué clase toma.,"
        "Inscrito en un programa de capacitación,Gratis")

    # import -> export -> import: the same catalogue, Spanish text included, same files.
    second = ready(second_database_url)
    try:
        import_bundle(second, first)
        assert catalogue_rows(second) == catalogue_rows(engine)
        export_bundle(second, tmp_path / "second")
    finally:
        second.dispose()
    for name in SPEC:
        assert (first / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def spanish_columns_in(engine: Engine) -> Dict[str, set]:
    found = inspect(engine)
    return {name: {c["name"] for c in found.get_columns(name) if c["name"].endswith("_es")}
            for name in ("programs", "services", "credentials", "occupations", "pathways")}


def test_the_migration_adds_and_removes_the_columns_keeping_the_catalogue(database_url,
                                                                         tmp_path):
    expected = {f.removesuffix(".csv"): {f"{c}_es" for c in cols}
                for f, cols in SPANISH.items()}
    engine = ready(database_url)
    try:
        import_bundle(engine, write_bundle(tmp_path / "v1"))
        loaded = catalogue_rows(engine)
        assert spanish_columns_in(engine) == expected

        command.downgrade(alembic_config(database_url), "0003")
        engine.dispose()
        assert spanish_columns_in(engine) == dict.fromkeys(expected, set())
        with engine.connect() as conn:  # no cascade emptied the link tables
            for table in (m.program_occupations, m.program_credentials, m.step_programs,
                          m.credential_stacks, m.service_counties, m.provider_counties):
                count = conn.execute(select(func.count()).select_from(table)).scalar_one()
                assert count == len(loaded[table.name]), table.name

        upgrade(database_url)  # what every start runs: brings a v1 catalogue up to date
        engine.dispose()
        assert spanish_columns_in(engine) == expected
        assert catalogue_rows(engine) == loaded  # every row kept, Spanish text NULL
    finally:
        engine.dispose()


def test_the_migrated_catalogue_schema_matches_the_models(database_url):
    engine = ready(database_url)
    catalogue = {t.name for t in m.CATALOGUE_TABLES} | {m.CatalogueImport.__tablename__}
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, m.metadata)
    finally:
        engine.dispose()

    def table_of(difference) -> str:
        change = difference[0] if isinstance(difference, list) else difference
        for part in change[1:]:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if table is not None:
                return table.name
            if name in catalogue:
                return name
        return ""

    # Tables of bot/ (referrals, users, SMS) are not in these models; the catalogue's are.
    assert [d for d in differences if table_of(d) in catalogue] == []

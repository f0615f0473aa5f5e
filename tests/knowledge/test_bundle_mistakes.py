"""A navigator's mistakes in a bundle: every one is reported, precisely, and nothing changes.

One bundle holds twenty different mistakes; the check must report exactly those twenty,
each as `FILE:LINE: column: message`, with a "did you mean" where a reference or county
is one typo away. Importing it must leave the catalogue as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.bundle import BundleInvalid, check_bundle, import_bundle
from tests.knowledge.bundles import (
    bundle_rows,
    catalogue_rows,
    header_of,
    write_bundle,
    write_file,
)

SECTORS = ("healthcare, manufacturing, construction, transportation, early_childhood, business, "
           "information_technology, hospitality, public_safety, agriculture, energy, other")

# (file, row index, column, new cell) -> the exact line `check` prints for it.
CELL_MISTAKES = [
    (("providers", 0, "zip", "9730"),
     "providers.csv:2: zip: '9730' is not a 5-digit ZIP code"),
    (("providers", 1, "counties", "Deschutes; Crooke; Jefferson"),
     "providers.csv:3: counties: 'Crooke' is not an Oregon county (did you mean 'Crook'?)"),
    (("providers", 3, "id", "Valley Library"),
     "providers.csv:5: id: 'Valley Library' is not a valid id "
     "(lowercase letters, digits and '-')"),
    (("programs", 0, "provider_id", "riverbend-c"),
     "programs.csv:2: provider_id: 'riverbend-c' is not in providers.csv "
     "(did you mean 'riverbend-cc'?)"),
    (("programs", 0, "iet", "maybe"),
     "programs.csv:2: iet: 'maybe' is not a yes/no value (use true/false, yes/no or 1/0)"),
    (("programs", 0, "languages", "en; sp"),
     "programs.csv:2: languages: 'sp' is not an ISO 639-1 language code (like en, es)"),
    (("programs", 1, "title", ""),
     "programs.csv:3: title: is required but empty"),
    (("programs", 1, "occupations", "31-909"),
     "programs.csv:3: occupations: '31-909' is not a SOC code like 31-9097 or 31-9097.00"),
    (("programs", 1, "next_start", "2031-02-30"),
     "programs.csv:3: next_start: '2031-02-30' is not a date written YYYY-MM-DD"),
    (("programs", 2, "sector", "welding"),
     f"programs.csv:4: sector: 'welding' is not one of: {SECTORS}"),
    (("programs", 2, "cost_usd", "-900"),
     "programs.csv:4: cost_usd: '-900' must be a number of 0 or more"),
    (("programs", 2, "schedule", "evening; nights"),
     "programs.csv:4: schedule: 'nights' is not one of: day, evening, weekend, flexible"),
    (("programs", 3, "occupations", "29-2061; 47-2111"),
     "programs.csv:5: occupations: '47-2111' is not in occupations.csv"),
    (("credentials", 0, "stacks_to", "lpn-licence"),
     "credentials.csv:2: stacks_to: 'lpn-licence' is not in credentials.csv "
     "(did you mean 'lpn-license'?)"),
    (("pathway_steps", 0, "pathway_id", "weldng"),
     "pathway_steps.csv:2: pathway_id: 'weldng' is not in pathways.csv "
     "(did you mean 'welding'?)"),
    (("pathway_steps", 1, "step", "two"),
     "pathway_steps.csv:3: step: 'two' is not a whole number"),
    (("pathway_steps", 3, "step", "1"),
     "pathway_steps.csv:5: step: step 1 of 'nursing' is already on line 4"),
]
# Mistakes that are not a single cell.
OTHER_MISTAKES = [
    # The welding program pasted twice.
    "programs.csv:6: id: duplicate 'cedar-welding' (first on line 4)",
    # The sector column deleted from pathways.csv.
    "pathways.csv:1: sector: required column is missing",
    # services.csv not saved into the folder.
    "services.csv:1: -: is missing: a bundle has all seven files "
    "(a file may hold only its header row)",
]
EXPECTED_ERRORS = sorted(
    [line for _, line in CELL_MISTAKES] + OTHER_MISTAKES,
    key=lambda line: (("providers", "programs", "credentials", "occupations", "pathways",
                       "pathway_steps", "services").index(line.split(".csv")[0]),
                      int(line.split(":")[1]), line.split(":")[2]),
)
EXPECTED_WARNINGS = ["providers.csv:1: notes: warning: unknown column; ignored"]


def broken_bundle(folder: Path) -> Path:
    """The valid bundle with the twenty mistakes above (and one unknown column)."""
    rows = bundle_rows()
    rows["programs"].append(dict(rows["programs"][2]))
    rows["providers"][0]["notes"] = "call before visiting"
    for (name, index, column, value), _ in CELL_MISTAKES:
        assert column in rows[name][index]
        rows[name][index][column] = value
    headers = {"pathways": [c for c in header_of(rows["pathways"]) if c != "sector"]}
    return write_bundle(folder, rows, headers=headers, omit={"services"})


def errors_and_warnings(folder: Path):
    with pytest.raises(BundleInvalid) as caught:
        check_bundle(folder)
    problems = caught.value.problems
    return ([str(p) for p in problems if p.severity == "error"],
            [str(p) for p in problems if p.severity == "warning"])


def test_twenty_mistakes_give_exactly_twenty_precise_messages(tmp_path):
    assert len(EXPECTED_ERRORS) == len(set(EXPECTED_ERRORS)) == 20
    errors, warnings = errors_and_warnings(broken_bundle(tmp_path / "broken"))
    assert errors == EXPECTED_ERRORS  # in file, then line, then column order
    assert warnings == EXPECTED_WARNINGS
    with pytest.raises(BundleInvalid, match=r"^20 problem\(s\) in the bundle$"):
        check_bundle(tmp_path / "broken")


def test_each_problem_names_its_file_line_and_column(tmp_path):
    with pytest.raises(BundleInvalid) as caught:
        check_bundle(broken_bundle(tmp_path / "broken"))
    county = next(p for p in caught.value.problems if p.column == "counties")
    assert (county.file, county.line, county.column, county.severity) == (
        "providers.csv", 3, "counties", "error")
    assert "did you mean 'Crook'?" in county.message


@pytest.mark.parametrize("mistake, expected", [
    (("programs", 3, "modality", "remote"),
     "programs.csv:5: modality: 'remote' is not one of: in_person, online, hybrid"),
    (("pathway_steps", 2, "step", "0"),
     "pathway_steps.csv:4: step: must be 1 or more"),
    (("occupations", 1, "median_hourly_wage", "about 19"),
     "occupations.csv:3: median_hourly_wage: 'about 19' is not a number"),
    (("services", 0, "counties", "*; Marion"),
     "services.csv:2: counties: '*' (statewide) must stand alone, without county names"),
    (("credentials", 1, "kind", "licence"),
     "credentials.csv:3: kind: 'licence' is not one of: industry_certification, "
     "career_pathway_certificate, license, high_school_equivalency, apprenticeship, degree, "
     "other (did you mean 'license'?)"),
    (("pathway_steps", 2, "occupation", ""),
     "pathway_steps.csv:4: occupation: is required but empty"),
    (("programs", 0, "duration_weeks", "10²"),
     "programs.csv:2: duration_weeks: '10²' is not a whole number"),
    # Values the database cannot hold: PostgreSQL would refuse them at import and SQLite
    # would store them anyway, so the check reports them.
    (("programs", 0, "url", "https://riverbend.example/?" + "x" * 600),
     "programs.csv:2: url: is 627 characters long; at most 500 fit"),
    (("providers", 1, "phone", "541-555-0102 (ask for the front desk, or leave a message)"),
     "providers.csv:3: phone: is 57 characters long; at most 40 fit"),
    (("programs", 1, "duration_weeks", "99999999999"),
     "programs.csv:3: duration_weeks: '99999999999' is too large (at most 2147483647)"),
    (("programs", 2, "cost_usd", "$123,456,789"),
     "programs.csv:4: cost_usd: '$123,456,789' is too large (it must be under 100,000,000)"),
], ids=["modality", "step-zero", "wage", "statewide-and-county",
        "credential-kind", "empty-occupation", "superscript",
        "long-url", "long-phone", "huge-number", "huge-cost"])
def test_one_mistake_one_message(tmp_path, mistake, expected):
    name, index, column, value = mistake
    rows = bundle_rows()
    rows[name][index][column] = value
    errors, warnings = errors_and_warnings(write_bundle(tmp_path / "b", rows))
    assert (errors, warnings) == ([expected], [])


def test_both_forms_of_a_soc_code_are_the_same_occupation(tmp_path):
    rows = bundle_rows()
    assert rows["occupations"][0]["soc"] == "31-9097.00"
    rows["occupations"].append(dict(rows["occupations"][0], soc="31-9097", title="Again"))
    errors, _ = errors_and_warnings(write_bundle(tmp_path / "b", rows))
    assert errors == ["occupations.csv:7: soc: duplicate '31-9097' (first on line 2)"]


def test_file_level_mistakes(tmp_path):
    folder = write_bundle(tmp_path / "b")
    (folder / "credentials.csv").write_bytes(b"id,name\n" + "caf\xe9\n".encode("cp1252"))
    (folder / "occupations.csv").write_bytes(b"")
    rows = bundle_rows()["pathways"]
    header = header_of(rows)
    write_file(folder, "pathways", rows, header + ["title"])
    (folder / "notes.csv").write_text("anything\n", encoding="utf-8")
    extra = ["extra-row", "Extra", "other", "Org", "*", "Text", "Apply"] + [""] * 9
    with (folder / "services.csv").open("a", encoding="utf-8") as handle:
        handle.write(",".join(extra + ["", "spilled over"]) + "\n")
    with pytest.raises(BundleInvalid) as caught:
        check_bundle(folder)
    errors = [str(p) for p in caught.value.problems if p.severity == "error"]
    dangling = [e for e in errors if " is not in " in e]
    assert [e for e in errors if e not in dangling] == [
        "credentials.csv:2: -: is not UTF-8 text (save it as CSV UTF-8)",
        "occupations.csv:1: -: is empty: it needs at least the header row",
        "pathways.csv:1: title: appears twice in the header",
        "services.csv:5: -: has 18 cells but the header has 16",
    ]
    # The unreadable files leave references dangling: those are reported too, no crash.
    assert "programs.csv:2: credentials: 'cna-license' is not in credentials.csv" in dangling
    assert "programs.csv:2: occupations: '31-1131' is not in occupations.csv" in dangling
    assert all(e.endswith(("is not in credentials.csv", "is not in occupations.csv"))
               for e in dangling)
    warnings = [str(p) for p in caught.value.problems if p.severity == "warning"]
    assert warnings == ["notes.csv:1: -: warning: is not part of the bundle format; ignored"]


def test_a_missing_folder_is_one_clear_problem(tmp_path):
    with pytest.raises(BundleInvalid) as caught:
        check_bundle(tmp_path / "nowhere")
    assert [p.message for p in caught.value.problems] == ["is not a folder"]


def test_unknown_column_is_a_warning_and_the_bundle_still_imports(tmp_path, engine):
    rows = bundle_rows()
    for row in rows["services"]:
        row["hours"] = "Mon-Fri"
    folder = write_bundle(tmp_path / "b", rows)
    bundle = check_bundle(folder)
    assert [str(w) for w in bundle.warnings] == [
        "services.csv:1: hours: warning: unknown column; ignored"]
    result = import_bundle(engine, folder)
    assert [str(w) for w in result.warnings] == [str(w) for w in bundle.warnings]
    assert result.counts["services"] == 3



def imports_recorded(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(m.CatalogueImport)).scalar_one()


def test_a_broken_bundle_changes_nothing(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "valid"))
    before = catalogue_rows(engine)
    assert len(before["programs"]) == 4
    with pytest.raises(BundleInvalid) as caught:
        import_bundle(engine, broken_bundle(tmp_path / "broken"))
    assert [str(p) for p in caught.value.problems if p.severity == "error"] == EXPECTED_ERRORS
    assert catalogue_rows(engine) == before
    assert imports_recorded(engine) == 1


def test_a_value_too_big_for_the_database_is_refused_on_every_database(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "valid"))
    before = catalogue_rows(engine)
    rows = bundle_rows()
    rows["services"][2]["source"] = "https://help-line.example/directory?" + "page=1&" * 40
    with pytest.raises(BundleInvalid) as caught:
        import_bundle(engine, write_bundle(tmp_path / "long", rows))
    assert [str(p) for p in caught.value.problems] == [
        "services.csv:4: source: is 316 characters long; at most 200 fit"]
    assert catalogue_rows(engine) == before


def test_a_broken_bundle_into_an_empty_database_leaves_it_empty(engine, tmp_path):
    with pytest.raises(BundleInvalid):
        import_bundle(engine, broken_bundle(tmp_path / "broken"))
    rows: List = [row for table in catalogue_rows(engine).values() for row in table]
    assert rows == [] and imports_recorded(engine) == 0

"""The warehouse's SQL models: estimate groups on the seeds, running totals, the tests the
models' YAML declares, and declarations refused before any article is read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from support import FIXTURES, SEEDS, rows, run_once

from newsfigures.config import ConfigError, Project, load_project
from newsfigures.load.models import ModelTest, ModelTestFailed, load_models

GROUP = (
    "select n_sources, n_mentions, n_copies, low, best, high, outlets, sources_disagree "
    "from estimate_groups where category = ? and event = ? and place = ?"
)


@pytest.fixture(scope="module")
def seeds_warehouse(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("seeds_warehouse")
    run_once(project, SEEDS, warehouse)
    return warehouse


def _group(warehouse: Path, category: str, event: str, place: str) -> tuple:
    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        found = con.execute(GROUP, [category, event, place]).fetchall()
    assert len(found) == 1, found
    return found[0]


def test_fighters_remaining_in_baghouz_gather_the_outlets_and_count_the_copy_once(
    seeds_warehouse: Path,
) -> None:
    sources, mentions, copies, low, best, high, outlets, disagree = _group(
        seeds_warehouse, "combatants", "remain", "Baghouz"
    )
    # 003's "about 300 IS fighters" and 004's copy of that sentence are one source; 002
    # (Middle East Monitor) says around 1,000 and 1,000-1,500.
    assert (sources, mentions, copies) == (2, 5, 1)
    assert outlets == ["Middle East Monitor", "Voice of America", "outlet not named"]
    assert (low, best, high) == (100, 712.5, 1500)
    assert disagree  # 300 against 1,125: more than the declared ratio apart


def test_civilians_evacuated_from_baghouz_gather_three_outlets(seeds_warehouse: Path) -> None:
    sources, mentions, copies, low, best, high, outlets, disagree = _group(
        seeds_warehouse, "civilians", "evacuate", "Baghouz"
    )
    assert (sources, mentions, copies) == (3, 5, 0)
    assert outlets == ["AFP", "Middle East Monitor", "Voice of America"]
    # "about 3,000 people" is the only point estimate: "as many as 2,000" and "dozens",
    # "hundreds", "thousands" only bound it.
    assert (low, best, high) == (12, 3000, 9999)
    assert not disagree


def test_the_copied_sentence_is_dated_by_the_document_it_copies(seeds_warehouse: Path) -> None:
    copies = rows(
        seeds_warehouse,
        "select source_file, reported_on, copy_of is not null from estimate_mentions where is_copy",
    )
    assert copies == [("004_d3d7cfa834a73cd2.txt", date(2019, 2, 23), True)]


def test_a_disagreement_shows_in_the_quarantine_as_a_warning(seeds_warehouse: Path) -> None:
    flagged = rows(
        seeds_warehouse,
        "select severity, check_name, source_file from quarantine "
        "where table_name = 'estimate_groups'",
    )
    assert flagged == [("warn", "sources_agree", "002_22696a13c1ec76d6.txt")]


def test_running_totals_form_a_series_whose_latest_step_is_the_best(
    project: Project, tmp_path: Path
) -> None:
    run_once(project, FIXTURES / "running_totals", tmp_path)
    found = rows(
        tmp_path,
        "select best, best_rule, n_running_totals, sources_disagree from estimate_groups "
        "where place = 'Derna' and event = 'kill'",
    )
    # 5,300 then 11,300: a toll that rose, not two sources disagreeing.
    assert found == [(11300, "latest running total", 2, False)]


def test_a_failing_error_level_model_test_stops_the_run(
    project: Project, project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    declaration = project_copy / "warehouse" / "views" / "estimate_groups.yml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(
        text.replace(
            "name: sources_agree\n    severity: warn", "name: sources_agree\n    severity: error"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ModelTestFailed, match=r"estimate_groups\.sql test sources_agree"):
        run_once(load_project(project_copy), seeds_copy, tmp_path)
    assert not (tmp_path / "newsfigures.duckdb").exists()


def test_a_rule_a_model_uses_must_be_declared(project_copy: Path) -> None:
    rules = project_copy / "warehouse" / "rules.yml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("  window_days: 21\n", ""), encoding="utf-8"
    )
    with pytest.raises(
        ConfigError, match=r"warehouse/rules\.yml: vars\.window_days: .*does not declare"
    ):
        load_models(load_project(project_copy))


def test_a_model_without_its_yaml_or_with_unknown_columns_is_refused(project_copy: Path) -> None:
    views = project_copy / "warehouse" / "views"
    (views / "run_history.yml").unlink()
    groups = views / "estimate_groups.yml"
    groups.write_text(
        groups.read_text(encoding="utf-8").replace("key: group_id", "key: group"), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as refused:
        load_models(load_project(project_copy))
    message = str(refused.value)
    assert "warehouse/views/run_history.yml: file not found" in message
    assert "warehouse/views/estimate_groups.yml:6: key: 'group': not a column" in message


def test_a_view_whose_columns_differ_from_its_yaml_stops_the_run(
    project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    history = project_copy / "warehouse" / "views" / "run_history.yml"
    history.write_text(
        history.read_text(encoding="utf-8").replace(
            '  - {name: status, description: "ok or errors."}\n', ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(ModelTestFailed, match="not the ones its YAML declares"):
        run_once(load_project(project_copy), seeds_copy, tmp_path)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_model_declared_a_table_is_stored_and_can_go_back_to_a_view(
    project_copy: Path, seeds_copy: Path, tmp_path: Path
) -> None:
    """`materialized: table` computes the model once at load (the report and analysts read
    it as stored); declared a view again, the next run replaces the table by the view, with
    the same rows."""
    import duckdb

    def kinds_and_rows() -> tuple[dict, list]:
        with duckdb.connect(str(tmp_path / "newsfigures.duckdb"), read_only=True) as con:
            kinds = dict(
                con.execute(
                    "select table_name, table_type from information_schema.tables "
                    "where table_name in ('estimate_mentions', 'quarantine')"
                ).fetchall()
            )
            mentions = con.execute("select * from estimate_mentions order by figure_id").fetchall()
        return kinds, mentions

    run_once(load_project(project_copy), seeds_copy, tmp_path)
    kinds, stored = kinds_and_rows()
    assert kinds == {"estimate_mentions": "BASE TABLE", "quarantine": "VIEW"}
    assert stored
    declaration = project_copy / "warehouse" / "views" / "estimate_mentions.yml"
    declaration.write_text(
        declaration.read_text(encoding="utf-8").replace(
            "materialized: table", "materialized: view"
        ),
        encoding="utf-8",
    )
    (seeds_copy / "note.txt").write_text("Nothing is counted here.\n", encoding="utf-8")
    run_once(load_project(project_copy), seeds_copy, tmp_path)
    kinds, computed = kinds_and_rows()
    assert kinds == {"estimate_mentions": "VIEW", "quarantine": "VIEW"}
    assert computed == stored


def test_a_unique_test_lists_every_row_of_a_repeated_value_nulls_included() -> None:
    test = ModelTest(name="v_once", severity="warn", description="v repeats", unique="v")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE m AS SELECT * FROM (VALUES ('a', 1), ('b', 1), ('c', 2), ('d', NULL), "
        "('e', NULL), ('f', 3)) t(k, v)"
    )
    failing = con.execute(test.failing_rows("m", "k")).fetchall()
    assert sorted(failing) == [("a", "a"), ("b", "b"), ("d", "d"), ("e", "e")]

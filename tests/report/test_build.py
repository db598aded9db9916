"""The analyst report: what the page holds, drawn from the seeds' warehouse, and its
declarations refused with file, line and key before any article is read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import SEEDS, run_once

from newsfigures.config import ConfigError, Project, load_project
from newsfigures.report.build import load_report_settings, write_report
from newsfigures.run.preflight import preflight


@pytest.fixture(scope="module")
def warehouse(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report_warehouse")
    run_once(project, SEEDS, folder)
    return folder


@pytest.fixture(scope="module")
def report(project: Project, warehouse: Path) -> str:
    written = write_report(project, warehouse)
    assert written == warehouse / "report.html"
    return written.read_text(encoding="utf-8")


def test_each_group_with_enough_mentions_has_an_inline_svg_chart(report: str) -> None:
    charts = re.findall(
        r'<figure class="chart" data-group-id="(\w+)">\s*<figcaption>([^<]+)', report
    )
    assert [caption.strip() for _, caption in charts] == [
        "civilians evacuate, Baghouz, from 2019-02-23",
        "combatants remain, Baghouz, from 2019-02-23",
    ]
    assert report.count("<svg") == 2


def test_the_page_works_offline(report: str) -> None:
    # No script, stylesheet, image or font fetched from anywhere.
    assert "<script" not in report
    assert not re.search(r'(src|href)="(https?:)?//', report)
    assert "@import" not in report and "url(http" not in report


def test_the_groups_table_gives_low_best_high_and_sources(report: str) -> None:
    table = report[report.index('<table id="estimate-groups">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr data-group-id=\"\w+\"( class=\"disagree\")?>(.*?)</tr>", table, re.S)
    cells = [
        (
            bool(flag),
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            ],
        )
        for flag, row in rows
    ]
    assert len(cells) == 20
    assert cells[0] == (
        False,
        [
            "civilians evacuate",
            "Baghouz",
            "2019-02-23 to 2019-03-26",
            "12",
            "3,000",
            "9,999",
            "3",
            "5",
            "AFP, Middle East Monitor, Voice of America",
        ],
    )
    assert cells[1][0] and cells[1][1][:8] == [
        "combatants remain",
        "Baghouz",
        "2019-02-23 to 2019-03-05",
        "100",
        "712.5",
        "1,500",
        "2",
        "5 (1 copied)",
    ]


def test_the_data_quality_summary_counts_rejects_by_check_and_lists_runs(report: str) -> None:
    rejects = report[report.index('<table id="rejects-by-check">') :]
    assert "<td>warn</td><td>estimate_groups</td><td>sources_agree</td>" in rejects
    history = report[report.index('<table id="run-history">') :]
    assert history.count("<td>ok</td>") == 1


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("report.yml", "chart_min_mentions: 3", "chart_min_mentions: 0"),
            r"report/report\.yml:\d+: chart_min_mentions: 0: must be at least 1",
        ),
        (
            ("report.yml", 'vega_lite_version: "5.20"', 'vega_lite_version: "9.9"'),
            r"report/report\.yml:\d+: vega_lite_version: '9\.9': not a version vl-convert renders",
        ),
        (
            (
                "estimates_over_time.vl.json",
                '"data": {"name": "mentions"}',
                '"data": {"url": "x.csv"}',
            ),
            r"report/report\.yml:\d+: chart_spec: .*the spec's data must be",
        ),
        (
            ("report.html.j2", "{% endfor %}\n</table>\n</body>", "</table>\n</body>"),
            r"report/report\.yml:\d+: template: .*line \d+ of the template",
        ),
        (("report.yml", "max_runs: 10", "max_run: 10"), r"report/report\.yml:\d+: max_run.*"),
    ],
)
def test_bad_report_declarations_stop_a_run_before_it_reads(
    project_copy: Path, edit: tuple[str, str, str], expected: str
) -> None:
    name, old, new = edit
    path = project_copy / "report" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        preflight(load_project(project_copy), None)


def test_the_chart_spec_is_valid_json_vega_lite(project: Project) -> None:
    spec = load_report_settings(project).chart_spec
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert json.loads(json.dumps(spec)) == spec


def test_a_large_warehouse_gets_at_most_the_declared_charts_and_rows(
    project_copy: Path, warehouse: Path, tmp_path: Path
) -> None:
    settings = project_copy / "report" / "report.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("max_charts: 40", "max_charts: 1").replace(
        "max_groups: 300", "max_groups: 3"
    )
    settings.write_text(text.replace("output: report.html", "output: small.html"), encoding="utf-8")
    page = write_report(load_project(project_copy), warehouse).read_text(encoding="utf-8")
    assert page.count("<svg") == 1
    assert "1 more group has as many, but the report draws at most max_charts" in page
    assert page.count("<tr data-group-id=") == 3
    assert "17 more groups are in the <code>estimate_groups</code> view" in page


def test_a_chart_draws_at_most_the_declared_mentions_independent_sources_first(
    project: Project, project_copy: Path, warehouse: Path
) -> None:
    """A story syndicated thousands of times makes a group of thousands of mentions: its
    chart draws and lists `chart_max_mentions` of them, never a copy before a source."""

    def charts(page: str) -> list[str]:
        return [f.split("</figure>")[0] for f in page.split('<figure class="chart"')[1:]]

    def listed(page: str) -> list[int]:
        return [chart.count("<tr") - 1 for chart in charts(page)]

    full = write_report(project, warehouse).read_text(encoding="utf-8")
    assert max(listed(full)) > 2
    settings = project_copy / "report" / "report.yml"
    text = settings.read_text(encoding="utf-8").replace(
        "chart_max_mentions: 200", "chart_max_mentions: 2"
    )
    settings.write_text(text.replace("output: report.html", "output: few.html"), encoding="utf-8")
    page = write_report(load_project(project_copy), warehouse).read_text(encoding="utf-8")
    assert "(2 drawn and listed: the independent sources' first" in page
    assert listed(page) and max(listed(page)) == 2
    # A copy is listed only once every mention that is not a copy is.
    import duckdb

    with duckdb.connect(str(warehouse / "newsfigures.duckdb"), read_only=True) as con:
        for chart in charts(page):
            group = chart.split('data-group-id="')[1].split('"')[0]
            rows = chart.split("<tr")[2:]
            copies = sum('class="copy"' in row for row in rows)
            [(originals,)] = con.execute(
                "select count(*) from estimate_mentions where group_id = ? and not is_copy",
                [group],
            ).fetchall()
            assert len(rows) - copies == min(originals, 2)
            assert copies == 0 or originals < 2

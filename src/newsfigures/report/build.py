"""`newsfigures report`: one HTML file that opens offline (no script, no CDN) with

- for each estimate group with enough mentions, a chart of the values reported over time,
  by source, with their ranges: `report/estimates_over_time.vl.json`, a Vega-Lite spec,
  rendered to inline SVG by vl-convert (Vega and Vega-Lite compiled into the package: no
  browser, no Node, no network);
- the table of groups with low / best / high and their sources;
- the data-quality summary: rejects and flags by check, the run history.

What the page shows is declared in `report/report.yml` and laid out by its Jinja2 template;
both are read and checked (`load_report_settings`) before any article is read.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pydantic

from newsfigures.config import ConfigError, Problem, Project
from newsfigures.config.problems import LineIndex, validation_problems
from newsfigures.config.project import _read_yaml

SETTINGS_FILE = "report/report.yml"
# The name the chart spec gives its data: the builder puts each group's mentions there.
CHART_DATA = "mentions"

# The report reads only what it shows: the first groups of the table, the charted groups and
# their mentions (the warehouse holds millions of mentions; the views hold them all).
GROUPS = """
    select * from estimate_groups where n_sources >= ? and n_mentions >= ?
    order by n_sources desc, n_mentions desc, category, event, place, first_as_of
    limit ?
"""
COUNT_GROUPS = "select count(*) as n from estimate_groups where n_sources >= ? and n_mentions >= ?"
MENTIONS = """
    select
        group_id, as_of, reported_on, outlet, attribution, span, qualifier, value_low,
        value_high, point_value,
        coalesce(point_value, case qualifier when 'at_least' then value_low
                                             when 'at_most' then value_high end) as marker_value,
        is_copy, is_running_total, sentence
    from estimate_mentions
    where group_id in (select unnest(?))
    qualify row_number() over (
        partition by group_id order by is_copy, as_of, reported_on, outlet, span, figure_id
    ) <= ?
    order by as_of, reported_on, outlet, span
"""
REJECTS = """
    select severity, table_name, check_name, count(*) as n
    from quarantine group by all order by severity, n desc, table_name, check_name
"""
RUNS = "select * from run_history limit ?"


class ReportSettings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    title: str
    output: str = pydantic.Field(pattern=r"^[^/\\]+\.html$")
    template: str
    chart_spec: str
    vega_lite_version: str
    chart_min_mentions: int = pydantic.Field(ge=1)
    max_charts: int = pydantic.Field(ge=0)
    chart_max_mentions: int = pydantic.Field(ge=1)
    table_min_sources: int = pydantic.Field(ge=1)
    max_groups: int = pydantic.Field(ge=1)
    max_runs: int = pydantic.Field(ge=1)


@dataclass(frozen=True)
class Report:
    settings: ReportSettings
    template: jinja2.Template
    chart_spec: dict[str, Any]


def load_report_settings(project: Project) -> Report:
    """report/report.yml, its template and chart spec, checked; ConfigError listing every
    problem with its file, line and key."""
    path = project.root / SETTINGS_FILE
    data, problem = _read_yaml(path, SETTINGS_FILE)
    if problem:
        raise ConfigError([problem])
    lines = LineIndex(path.read_text(encoding="utf-8"))
    try:
        settings = ReportSettings.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ConfigError(validation_problems(exc, SETTINGS_FILE, ReportSettings, lines)) from None
    import vl_convert

    problems: list[Problem] = []

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(SETTINGS_FILE, (key,), message, data[key], lines.line((key,))))

    if settings.vega_lite_version not in vl_convert.get_vegalite_versions():
        known = ", ".join(vl_convert.get_vegalite_versions())
        refuse("vega_lite_version", f"not a version vl-convert renders (one of {known})")
    template = spec = None
    try:
        source = (project.root / settings.template).read_text(encoding="utf-8")
        template = _environment().from_string(source)
    except OSError as exc:
        refuse("template", f"cannot read it: {exc.strerror}")
    except jinja2.TemplateSyntaxError as exc:
        refuse("template", f"line {exc.lineno} of the template: {exc.message}")
    try:
        spec = json.loads((project.root / settings.chart_spec).read_text(encoding="utf-8"))
    except OSError as exc:
        refuse("chart_spec", f"cannot read it: {exc.strerror}")
    except json.JSONDecodeError as exc:
        refuse("chart_spec", f"not valid JSON: line {exc.lineno}: {exc.msg}")
    if spec is not None and (
        not isinstance(spec, dict) or spec.get("data") != {"name": CHART_DATA}
    ):
        refuse(
            "chart_spec",
            f'the spec\'s data must be {{"name": "{CHART_DATA}"}}: the mentions go there',
        )
    if problems:
        raise ConfigError(problems)
    assert template is not None and spec is not None
    return Report(settings, template, spec)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def write_report(project: Project, warehouse_dir: Path) -> Path:
    """Write the report of the published warehouse in `warehouse_dir`; its path."""
    report = load_report_settings(project)
    settings = report.settings
    database = warehouse_dir / project.settings.warehouse.database
    if not database.is_file():
        raise FileNotFoundError(f"no warehouse at {database}: run `newsfigures run` first")
    with duckdb.connect(str(database), read_only=True) as con:
        listed = [settings.table_min_sources, 1]
        charted = [settings.table_min_sources, settings.chart_min_mentions]
        groups = _records(con, GROUPS, [*listed, settings.max_groups])
        [total] = _records(con, COUNT_GROUPS, listed)
        drawn = _records(con, GROUPS, [*charted, settings.max_charts])
        [chartable] = _records(con, COUNT_GROUPS, charted)
        charted_ids = [group["group_id"] for group in drawn]
        mentions = _records(con, MENTIONS, [charted_ids, settings.chart_max_mentions])
        rejects = _records(con, REJECTS)
        runs = _records(con, RUNS, [settings.max_runs])
    by_group: dict[str, list[dict[str, Any]]] = {}
    for mention in mentions:
        by_group.setdefault(mention["group_id"], []).append(mention)
    charts = [_chart(report, group, by_group[group["group_id"]]) for group in drawn]
    html = report.template.render(
        title=settings.title,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        database=str(database),
        last_run=runs[0] if runs else None,
        groups=groups,
        groups_total=total["n"],
        charts=charts,
        charts_left_out=chartable["n"] - len(charts),
        chart_min_mentions=settings.chart_min_mentions,
        rejects=rejects,
        runs=runs,
        number=_number,
    )
    output = warehouse_dir / settings.output
    partial = output.with_name(f".{output.name}.partial")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, output)
    return output


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _chart(report: Report, group: dict[str, Any], mentions: list[dict]) -> dict[str, Any]:
    import vl_convert

    label = f"{group['category']} {group['event']}, {group['place']}, from {group['first_as_of']}"
    values = [
        {
            **{k: _plain(v) for k, v in m.items() if k not in ("group_id", "sentence")},
            "low": group["low"],
            "best": group["best"],
            "high": group["high"],
        }
        for m in mentions
    ]
    spec = copy.deepcopy(report.chart_spec)
    spec["data"] = {"values": values}
    svg = vl_convert.vegalite_to_svg(spec, vl_version=report.settings.vega_lite_version)
    return {"group": group, "label": label, "svg": svg, "mentions": mentions}


def _plain(value: Any) -> Any:
    """A value Vega reads: dates as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

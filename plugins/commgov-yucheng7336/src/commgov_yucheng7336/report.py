"""The 7336 monthly report per community: the three rates, cases by 五步 step, the 六到位
scores and 七个一 compliance, as rows, a rich table, a CSV file, a chart and a console page
(tables and bar charts in Chinese, drawn by the console from the same rows)."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from rich.table import Table

import commgov
from commgov import Actor, Commgov, ValidationError
from commgov_yucheng7336 import compliance, five_steps, standards
from commgov_yucheng7336.compliance import moment

TABLE_COLUMNS = {
    "community": "community",
    "cases": "cases",
    "response": "resp.",
    "resolution": "resol.",
    "satisfaction": "satisf.",
    "steps": "五步",
    "six_standards": "六到位",
    "seven_duties": "七个一",
}
"""The table's columns and headers: ``五步`` counts cases at 排查/研判/化解/回访,
``六到位`` is the mean standards score, ``七个一`` the share of duties met. The CSV has all."""


PAGE_COLUMNS = {
    "community": "社区",
    "cases": "诉求数",
    "response": "响应率",
    "resolution": "办结率",
    "satisfaction": "满意率",
    "six_standards": "六到位得分",
    "seven_duties": "七个一完成率",
}
"""The console page's main table: its columns and their Chinese headers."""
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
"""Fonts with Chinese glyphs the chart looks for, in order (Debian's fonts-noto-cjk first)."""
CHART_KEYS = ("response", "resolution", "satisfaction", "six_standards", "seven_duties")
"""The chart's series, per community."""
CASE_STEPS = tuple(s for s in five_steps.STEPS if s != five_steps.PREVENTION)
"""The four steps a case stands at (预防 comes before any case)."""


def chinese(label: str) -> str:
    """The Chinese words of a label written Chinese first, then English."""
    return label.split(" ", 1)[0]


@attrs.frozen
class ChartWords:
    """The words of the report's chart: title, bar labels, series names, axis."""

    title: str
    labels: list[str]
    series: list[str]
    axis: str


@attrs.frozen
class MonthlyReport:
    unit: str
    year: int
    month: int
    rows: list[dict[str, Any]]

    @property
    def title(self) -> str:
        return f"7336 monthly report, {self.year}-{self.month:02d}"

    def table(self) -> Table:
        """The rows as a rich table (rates and shares as percentages, scores as numbers)."""
        table = Table(title=self.title)
        for column, header in TABLE_COLUMNS.items():
            table.add_column(header, justify="left" if column == "community" else "right")
        for row in self.rows:
            steps = "/".join(str(row[f"step_{s}"]) for s in five_steps.STEPS if s != "prevention")
            cells = {**row, "steps": steps}
            table.add_row(*(_cell(column, cells[column]) for column in TABLE_COLUMNS))
        return table

    def to_csv(self, path: str | Path) -> Path:
        target = Path(path)
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(self.rows[0]) if self.rows else [])
            writer.writeheader()
            writer.writerows(self.rows)
        return target

    def chart_words(self, *, chinese: bool) -> ChartWords:
        """The chart's words: Chinese (community names, 响应率 …) when a font can draw them,
        else the communities' codes and English, with a title that says why."""
        if chinese:
            return ChartWords(
                title=f"7336 月度报告 {self.year}-{self.month:02d}",
                labels=[str(r["community"]) for r in self.rows],
                series=[PAGE_COLUMNS[k] for k in CHART_KEYS],
                axis="社区",
            )
        return ChartWords(
            title=f"{self.title} (labels are codes: no font with Chinese glyphs installed)",
            labels=[str(r["code"])[-3:] for r in self.rows],
            series=list(CHART_KEYS),
            axis="community (last digits of its code)",
        )

    def plot(self, path: str | Path) -> Path:
        """A bar chart per community: the three rates, the 六到位 total and 七个一 share,
        labelled in Chinese when a font with Chinese glyphs is installed (``CJK_FONTS``);
        otherwise by the communities' codes, and the chart's title says so."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        font = next((name for name in CJK_FONTS if name in installed), None)
        words = self.chart_words(chinese=font is not None)
        labels = words.labels
        with plt.rc_context({"font.sans-serif": [font, "DejaVu Sans"]} if font else {}):
            fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(labels) + 2), 4))
            width = 0.8 / len(CHART_KEYS)
            for i, (key, name) in enumerate(zip(CHART_KEYS, words.series, strict=True)):
                values = [_percent(key, r[key]) for r in self.rows]
                ax.bar([x + i * width for x in range(len(labels))], values, width, label=name)
            ax.set_xticks([x + 0.4 - width / 2 for x in range(len(labels))], labels, rotation=45)
            ax.set_ylim(0, 125)  # room above 100 % for the legend
            ax.set_ylabel("%")
            ax.set_xlabel(words.axis)
            ax.set_title(words.title, fontsize="medium")
            ax.legend(fontsize="small", ncol=len(CHART_KEYS), loc="upper center")
            fig.tight_layout()
            target = Path(path)
            fig.savefig(target, dpi=100)
            plt.close(fig)
        return target


def monthly_page(report: MonthlyReport) -> commgov.PageContent:
    """The report as a console page: the rows as tables and bar charts labelled in Chinese
    (五步 steps, 六到位 standards, community names), from ``report.rows`` as they are."""
    rows = report.rows
    main = commgov.PageTable(
        title="各社区本月情况",
        headers=tuple(PAGE_COLUMNS.values()),
        rows=tuple(tuple(_cell(c, row[c]) for c in PAGE_COLUMNS) for row in rows),
    )
    steps = commgov.PageTable(
        title="五步：各步骤诉求数",
        headers=("社区", *(chinese(five_steps.STEPS[s]) for s in CASE_STEPS)),
        rows=tuple(
            (row["community"], *(str(row[f"step_{s}"]) for s in CASE_STEPS)) for row in rows
        ),
    )
    scores = commgov.PageTable(
        title="六到位：各项得分",
        headers=("社区", *(chinese(label) for label in standards.STANDARDS.values())),
        rows=tuple(
            (row["community"], *(str(row[f"std_{s}"]) for s in standards.STANDARDS)) for row in rows
        ),
    )
    return commgov.PageContent(
        title=f"7336 月度报告 {report.year}-{report.month:02d}",
        tables=(main, steps, scores),
        charts=(_steps_chart(rows), *_community_charts(rows)),
        notes=("预防、排查、研判、化解、回访五步中，后四步按诉求状态统计；六到位各项满分 100。",),
    )


def _steps_chart(rows: list[dict[str, Any]]) -> commgov.PageChart:
    totals = {s: sum(int(row[f"step_{s}"]) for row in rows) for s in CASE_STEPS}
    bars = tuple(
        commgov.ChartBar(label=chinese(five_steps.STEPS[s]), value=n, shown=str(n))
        for s, n in totals.items()
    )
    return commgov.PageChart(title="五步：本月各步骤诉求数（合计）", bars=bars)


def _community_charts(rows: list[dict[str, Any]]) -> tuple[commgov.PageChart, ...]:
    """Per community: the 六到位 total, the 七个一 share and the satisfaction rate."""
    charts = (("six_standards", "六到位：各社区得分"), ("seven_duties", "七个一：各社区完成率"),
              ("satisfaction", "群众满意率：各社区"))  # fmt: skip
    return tuple(
        commgov.PageChart(
            title=title,
            bars=tuple(
                commgov.ChartBar(
                    label=str(row["community"]),
                    value=_percent(key, row[key]),
                    shown=_cell(key, row[key]),
                )
                for row in rows
            ),
            most=100.0,
        )
        for key, title in charts
    )


def monthly_report(store: Commgov, actor: Actor, unit: str, year: int, month: int) -> MonthlyReport:
    """The report for every community under ``unit`` (a town) or for ``unit`` (a community)."""
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError("month", month, "1 to 12")
    first = dt.date(year, month, 1)
    end = first + dt.timedelta(days=calendar.monthrange(year, month)[1])
    by_child = store.grids.get(unit).kind not in standards.COMMUNITY_KINDS
    rates = store.cases.rates(
        actor,
        unit,
        start=moment(store, first),
        end=moment(store, end),
        by="child" if by_child else None,
    )
    cases = store.cases.under(actor, unit)
    cards = {
        c.community: c
        for c in standards.score_communities(store, actor, unit, first, end, cases=cases)
    }
    duties = compliance.by_community(
        store, actor, compliance.grid_duties(store, actor, unit, first, end)
    )
    shares = {d.community: sum(d.shares.values()) / len(d.shares) for d in duties}
    units = {u.code: u for u in [store.grids.get(unit), *store.grids.descendants(unit)]}
    states: dict[str, list[str]] = {}
    for case in cases:
        if moment(store, first) <= case.reported_at < moment(store, end):
            home = standards.community_of(units, case.unit_code) or ""
            states.setdefault(home, []).append(case.state)
    rows = []
    for rate in rates:
        if rate.unit_code not in cards:
            continue
        card = cards[rate.unit_code]
        steps = five_steps.count_steps(states.get(rate.unit_code, []))
        rows.append(
            {
                "community": rate.unit_name,
                "code": rate.unit_code,
                "cases": rate.accepted,
                "response": rate.response_rate,
                "resolution": rate.resolution_rate,
                "satisfaction": rate.satisfaction_rate,
                **{f"step_{name}": count for name, count in steps.items()},
                **{f"std_{name}": round(score, 1) for name, score in card.scores.items()},
                "six_standards": round(card.total, 1),
                "seven_duties": shares.get(rate.unit_code, 0.0),
            }
        )
    return MonthlyReport(unit=unit, year=year, month=month, rows=rows)


def _percent(key: str, value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) if key.startswith(("std_", "six_")) else 100 * float(value)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if column in ("response", "resolution", "satisfaction", "seven_duties"):
        return f"{value:.1%}"
    return str(value)

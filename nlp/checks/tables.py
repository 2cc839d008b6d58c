"""Check narrative figures against the report's tables.

An indicator row's actual stated with another value in the narrative, at any
distance in the report (``conflict.narrative_vs_table``); a narrative money
figure that no total cell of its row in the budget tables states.
"""

from __future__ import annotations

import re
from decimal import Decimal

from nlp.checks.conflicts import comparable, gap_severity
from nlp.checks.context import POLICY, marked_prior
from nlp.checks.finding import Finding, make_finding, show, written
from nlp.checks.tolerance import half
from nlp.document import Report, Table
from nlp.indicators import IndicatorRow
from nlp.quantities import Quantity
from nlp.scope import (_MULTIPLIERS, Cell, Measured, Scope, display_metric, metric_core, row_label, table_cells,
                       table_unit)


def _row_measured(row: IndicatorRow, year: int | None) -> Measured | None:
    q = row.actual_quantity
    if q is None:
        return None
    scope = Scope(item=None, year=year, unit=q.base_unit, table=row.table)
    return Measured(q, None, scope, metric_core(row.name), row.name, cell=(row.table, row.id, "actual"))  # type: ignore[arg-type]


def table_conflicts(report: Report, measured: dict[str, list[Measured]], year: int | None) -> list[Finding]:
    """Return a finding per narrative figure that states an indicator row's actual with another value."""
    findings: list[Finding] = []
    pages = {t.id: t.page for t in report.tables}
    by_row = {row.id: row for row in report.indicators}
    seen: set[tuple[str, str]] = set()
    for link in report.links:
        if link.kind != "same_measure":
            continue
        row = by_row.get(link.indicator)
        if row is None or row.actual_quantity is None:
            continue
        m = measured.get(link.paragraph, [])[link.quantity] if link.quantity is not None else None
        if m is None or not comparable(m) or m.scope.year not in (None, year):
            continue
        cell = _row_measured(row, year)
        if cell is None:
            continue
        cell.page = pages.get(row.table)
        q, r = m.quantity, row.actual_quantity
        if q.base_unit != r.base_unit or q.normalized == r.normalized:
            continue
        if row.target_quantity is not None and q.normalized == row.target_quantity.normalized:
            continue  # "812个…已完成790个": the whole the row's target counts, not its actual
        graded = gap_severity(q, r)
        if graded is None:
            continue
        severity, code = graded
        if code == "conflict.same_measure":
            code = "conflict.narrative_vs_table"
        key = (row.id, written(q))
        if key in seen:
            continue
        seen.add(key)
        findings.append(make_finding("conflict", code, severity, row.name, f"finding.{code}", [written(q), written(r)],
                                     [m, cell], Scope(item=row.name, year=year, unit=q.base_unit, table=row.table),
                                     a=written(q), b=written(r), item=row.name, year=year or ""))
    return findings


_TOTAL_COLUMN = re.compile(r"合计|金额|预算数|决算数|小计|总计|本年支出|支出合计|收入合计")
_GENERIC_ROW = re.compile(r"^(?:合计|总计|小计|其中|项目|科目名称)$")
_STAGE_TAIL = re.compile(r"(?:预算数|决算数|预算安排|预算|决算|安排|数)+$")


def _in_reason(m: Measured) -> bool:
    """Return whether ``m`` stands in a sentence's reason clause (主要原因是…分流315万元)."""
    if m.paragraph is None:
        return False
    start = m.paragraph.text.rfind("。", 0, m.quantity.start) + 1
    return bool(re.search(r"原因|由于|因为|用于", m.paragraph.text[start:m.quantity.start]))


def _row_names(m: Measured) -> tuple[tuple[str, ...] | None, set[str]]:
    """Return the 类/款/项 chain and the row names a narrative figure may stand under in a table."""
    item = m.scope.item or ""
    if "/" in item and "›" not in item:
        return tuple(item.split("/")), set()
    name = row_label(m.quantity.metric)
    names = {name, _STAGE_TAIL.sub("", name)} - {""}
    return None, {n for n in names if len(n) >= 3 and not _GENERIC_ROW.match(n)}


def _cell_measured(cell: Cell, unit: str, quantity_like: Quantity) -> Measured:
    multiplier = Decimal(_MULTIPLIERS[unit])
    q = Quantity(cell.text, 0, len(cell.text), cell.value, multiplier, "元", "元", "money",
                 metric=f"{cell.item}／{cell.label}", precision=cell.decimals)
    return Measured(q, None, Scope(item=cell.item, unit="元", table=cell.table), cell.item, cell.label,
                    cell=(cell.table, cell.row, cell.label), page=cell.page)


_SPENDING_PART = re.compile(r"基本支出|项目支出|人员经费|公用经费")


def narrative_vs_tables(report: Report, measured: dict[str, list[Measured]], year: int | None) -> list[Finding]:
    """Return a finding per narrative money figure that no total cell of its row in the report's tables states.

    A figure is compared only when it is the report year's (no prior-year or
    execution figure), its line item or name is a row of a table (by the
    类/款/项 chain, else by the row's name), and the cell stands in a total
    column (合计, 金额, 预算数, 决算数 …). A table's unit is the one it states
    (单位：万元); else the one under which at least three narrative figures
    appear in it and none under the other. One matching cell in any table
    makes the figure consistent.
    """
    tables = [t for t in report.tables if t.kind != "indicator"]
    if not tables:
        return []
    pool = [m for ms in measured.values() for m in ms if _this_years_money(m, year)]
    cells = {t.id: table_cells(t) for t in tables}
    units = _table_units(tables, cells, pool)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    captions = {t.id: t.caption or "" for t in tables}
    for m in pool:
        candidates = _total_cells(m, units, cells, captions)
        if not candidates:
            continue
        q = m.quantity
        gaps = [(abs(c.quantity.normalized - q.normalized), c) for c in candidates]
        gap, nearest = min(gaps, key=lambda g: g[0])
        if gap <= half(q) + half(nearest.quantity):
            continue
        key = (m.paragraph.id if m.paragraph else "", written(q))
        if key in seen:
            continue
        seen.add(key)
        # One unit of the last stated digit is how far two roundings of one figure may differ.
        severity = "info" if gap <= 2 * max(half(q), half(nearest.quantity)) else "error"
        shown = show(nearest.quantity.normalized, q, max(q.precision, 2))
        findings.append(make_finding("conflict", "conflict.narrative_vs_table", severity, display_metric(m),
                                     "finding.conflict.table_cell", [written(q), shown], [m, nearest], m.scope,
                                     a=written(q), b=shown, table=nearest.cell[0] if nearest.cell else "",
                                     column=nearest.context))
    return findings


def _this_years_money(m: Measured, year: int | None) -> bool:
    """Return whether ``m`` is a money figure of the report year a budget table could state."""
    q = m.quantity
    return (q.kind == "money" and q.role == "actual" and q.comparator == "=" and m.scope.year == year
            and m.scope.stage in (None, "预算", "决算") and not marked_prior(m) and q.normalized > 0
            and not POLICY.search(m.context) and not _in_reason(m))


def _table_units(tables: list[Table], cells: dict[str, list[Cell]], pool: list[Measured]) -> dict[str, str]:
    """Return each table's unit: the one it states, else the one under which its cells repeat the narrative."""
    units: dict[str, str] = {}
    for t in tables:
        unit = table_unit(t)
        if unit is None:
            values = {c.value for c in cells[t.id]}
            agree = {u: sum(1 for m in pool if (m.quantity.normalized / Decimal(k)).normalize() in
                            {v.normalize() for v in values}) for u, k in _MULTIPLIERS.items()}
            ranked = sorted(agree.items(), key=lambda kv: -kv[1])
            if ranked[0][1] >= 3 and ranked[1][1] == 0:
                unit = ranked[0][0]
        if unit is not None:
            units[t.id] = unit
    return units


def _total_cells(m: Measured, units: dict[str, str], cells: dict[str, list[Cell]],
                 captions: dict[str, str]) -> list[Measured]:
    """Return the total cells of the rows ``m`` may stand under, in every table whose unit is known."""
    chain, names = _row_names(m)
    parts = set(_SPENDING_PART.findall(m.context + m.quantity.metric))
    candidates = []
    for table_id, unit in units.items():
        for cell in cells[table_id]:
            if not _TOTAL_COLUMN.search(cell.label):
                continue
            # A column of one part of spending (基本支出合计) holds that part only: 三公经费's
            # 公务接待费 there is its basic part, not the whole the narrative states.
            cell_parts = set(_SPENDING_PART.findall(cell.label + captions[table_id]))
            if cell_parts and not cell_parts <= parts:
                continue
            if chain is not None:
                if len(chain) < 2 or not cell.chain or tuple(x for x in cell.chain if x)[-len(chain):] != chain:
                    continue
            elif cell.item not in names:
                continue
            candidates.append(_cell_measured(cell, unit, m.quantity))
    return candidates

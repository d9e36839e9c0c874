"""Small-cell suppression for public statistics (issue #8).

Firm-level industry data is confidential (DOMAIN.md §9, UU 3/2014 jo. PP 28/2021): any published figure resting
on fewer than ``MIN_CELL`` businesses is hidden. Hiding one cell is not enough when its row or column total is
shown beside it, because it could be recovered by subtraction; so every row and column that has exactly one
hidden cell gets a second one hidden (the smallest remaining non-zero cell, or the total itself when no other
cell is left), repeated until stable. That is the classic complementary suppression of statistical offices.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_CELL = 3


@dataclass
class SuppressedTable:
    """``values[r][c]`` with ``None`` where hidden; row and column totals likewise."""

    rows: list[str]
    columns: list[str]
    values: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None


def suppress(rows: list[str], columns: list[str], counts: list[list[int]], min_cell: int = MIN_CELL) -> SuppressedTable:
    """Suppress a table of business counts (non-negative integers)."""
    n_rows, n_cols = len(rows), len(columns)
    hidden = [[0 < counts[r][c] < min_cell for c in range(n_cols)] for r in range(n_rows)]
    row_tot = [sum(counts[r]) for r in range(n_rows)]
    col_tot = [sum(counts[r][c] for r in range(n_rows)) for c in range(n_cols)]
    grand = sum(row_tot)
    row_hidden = [0 < t < min_cell for t in row_tot]
    col_hidden = [0 < t < min_cell for t in col_tot]
    grand_hidden = 0 < grand < min_cell

    changed = True
    while changed:
        changed = False
        # Rows: the cells plus the row total form one equation.
        for r in range(n_rows):
            members = [hidden[r][c] for c in range(n_cols)] + [row_hidden[r]]
            if sum(members) == 1:
                candidates = [(counts[r][c], c) for c in range(n_cols) if not hidden[r][c] and counts[r][c] > 0]
                if candidates:
                    _, c = min(candidates)
                    hidden[r][c] = True
                elif not row_hidden[r]:
                    row_hidden[r] = True
                else:
                    continue
                changed = True
        # Columns: the cells plus the column total.
        for c in range(n_cols):
            members = [hidden[r][c] for r in range(n_rows)] + [col_hidden[c]]
            if sum(members) == 1:
                candidates = [(counts[r][c], r) for r in range(n_rows) if not hidden[r][c] and counts[r][c] > 0]
                if candidates:
                    _, r = min(candidates)
                    hidden[r][c] = True
                elif not col_hidden[c]:
                    col_hidden[c] = True
                else:
                    continue
                changed = True
        # The margins against the grand total.
        for margin, totals in ((row_hidden, row_tot), (col_hidden, col_tot)):
            if sum(margin) + grand_hidden == 1:
                candidates = [(totals[i], i) for i in range(len(margin)) if not margin[i] and totals[i] > 0]
                if candidates:
                    _, i = min(candidates)
                    margin[i] = True
                elif not grand_hidden:
                    grand_hidden = True
                else:
                    continue
                changed = True

    return SuppressedTable(
        rows=rows,
        columns=columns,
        values=[[None if hidden[r][c] else counts[r][c] for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[None if row_hidden[r] else row_tot[r] for r in range(n_rows)],
        column_totals=[None if col_hidden[c] else col_tot[c] for c in range(n_cols)],
        grand_total=None if grand_hidden else grand,
    )

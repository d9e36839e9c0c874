"""Small-cell suppression: nothing below 3 shown, and nothing hidden can be recovered by subtraction."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.reports.suppression import suppress


def _recoverable(table, counts):
    """True when some hidden value is the only unknown of a row/column/margin equation."""
    n_rows, n_cols = len(counts), len(counts[0])
    for r in range(n_rows):
        unknowns = [table.values[r][c] is None for c in range(n_cols)] + [table.row_totals[r] is None]
        if sum(unknowns) == 1:
            return True
    for c in range(n_cols):
        unknowns = [table.values[r][c] is None for r in range(n_rows)] + [table.column_totals[c] is None]
        if sum(unknowns) == 1:
            return True
    for margin in (table.row_totals, table.column_totals):
        if sum(v is None for v in margin) + (table.grand_total is None) == 1:
            return True
    return False


def test_small_cell_and_its_complement_are_hidden():
    table = suppress(["A", "B"], ["kecil", "menengah"], [[10, 2], [8, 5]])
    assert table.values[0][1] is None  # 2 < 3
    assert table.values[0][0] is None or table.row_totals[0] is None  # row A cannot give it away
    assert table.values[1][1] is None or table.column_totals[1] is None  # nor column "menengah"
    assert not _recoverable(table, [[10, 2], [8, 5]])


def test_zero_is_not_suppressed_and_big_cells_stay():
    table = suppress(["A"], ["x", "y"], [[0, 40]])
    assert table.values == [[0, 40]]
    assert table.grand_total == 40


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 12), min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )
)
def test_no_shown_figure_rests_on_fewer_than_three_and_nothing_is_recoverable(counts):
    rows = [f"r{i}" for i in range(len(counts))]
    cols = [f"c{j}" for j in range(len(counts[0]))]
    table = suppress(rows, cols, counts)
    for r, row in enumerate(table.values):
        for c, value in enumerate(row):
            assert value is None or value == 0 or value >= 3
            assert value is None or value == counts[r][c]
    for total in [*table.row_totals, *table.column_totals, table.grand_total]:
        assert total is None or total == 0 or total >= 3
    assert not _recoverable(table, counts)

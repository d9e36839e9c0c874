"""Small-cell suppression for public statistics (docs/domain.md §12).

Firm-level industry data is confidential (UU 16/1997 Pasal 21, UU 3/2014 jo. PP 28/2021): any published count
of fewer than ``MIN_CELL`` businesses is hidden (*primary* suppression), and so is any sum resting on that few
businesses. Hiding those alone is not enough: every published figure that is the sum of other published figures
is a linear relation, and a hidden cell that is the only unknown of a relation follows by subtraction. Relations
run inside one table (a row with its total, a column with its total) *and across tables*: the nation's row of a
province is the column-total line of that province's own page, so the national table, every province page and
their regency/city rows are one linked set. *Complementary* suppression hides further cells until no hidden cell
is determined by the published ones:

1. every relation with exactly one hidden member gets a second one (a non-zero visible part, or its total when no
   part is left), and so does every relation with a shown total whose hidden parts add up to their least possible
   values (a reader knows a hidden count is at least 1: three hidden cells under a shown 3 are all 1), repeated
   over all relations until none is left;
2. the whole published system is then solved exactly (``determined``): a hidden cell can still be pinned down by
   combining several relations although each has two unknowns. Each such cell gets one more complement in one of
   its relations, and step 1 runs again, until nothing hidden is determined.

A zero count is never hidden (it protects nobody), so the complement of a count is always a real figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import gcd

MIN_CELL = 3

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``: one equation a visitor can read off the published tables."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def suppress_linked(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    primary: Iterable[Key],
    floor: Callable[[Key], int] = lambda key: 1,
) -> set[Key]:
    """The keys to hide: ``primary`` plus the complements that keep every hidden value undetermined by the
    visible values and ``relations``. ``values`` holds every key of every relation (non-negative integers);
    ``floor(key)`` is the least value a reader knows a hidden ``key`` has (1 for a count, since a zero count is
    never hidden; 0 for a sum that may be hidden at zero)."""
    hidden = set(primary)
    # A figure whose relation has no parts (a region without sub-regions: the sum of nothing) is known to every
    # reader; hiding it protects nothing and would itself be "recovered", so it is never a complement.
    fixed = {rel.total for rel in relations if not rel.parts}
    of_key: dict[Key, list[int]] = defaultdict(list)
    for i, rel in enumerate(relations):
        for key in rel.members:
            of_key[key].append(i)

    def hidden_in(i: int) -> int:
        return sum(k in hidden for k in relations[i].members)

    def complement(rel: Relation, i: int) -> Key | None:
        """The member to hide next in relation ``i``: a visible non-zero part (the total only when no part is left,
        since totals are what readers want most); among parts the one whose hiding leaves the fewest other relations
        with a single hidden member (each would need a complement of its own), then the smallest. A value at its
        floor (a zero workforce) only when nothing else is left: it would not widen what the reader can infer."""
        options = []
        for n, key in enumerate(rel.members):
            if key in hidden or key in fixed:
                continue
            others = [hidden_in(j) for j in of_key[key] if j != i]
            cascade = others.count(0) - others.count(1)
            options.append(((values[key] <= floor(key), n == 0, cascade, values[key], n), key))
        return min(options)[1] if options else None

    def unsafe(i: int) -> bool:
        """A relation gives a hidden member away: it is the only one, or the total is shown and the hidden parts
        add up to their least possible values (two hidden counts summing to 2 are both 1)."""
        rel = relations[i]
        shut = [k for k in rel.members if k in hidden]
        if len(shut) == 1:
            return True
        if not shut or rel.total in hidden:
            return False
        return sum(values[k] for k in shut) == sum(floor(k) for k in shut)

    def settle() -> None:
        """Step 1: no relation may keep exactly one hidden member, nor hidden parts that sit at their least
        values. The relation with the fewest choices goes first, so forced complements are in place before a free
        choice is weighed against them."""
        single = {i for i in range(len(relations)) if unsafe(i)}
        while single:

            def choices(i: int) -> int:
                return sum(1 for k in relations[i].parts if k not in hidden and values[k] > 0)

            i = min(single, key=lambda i: (choices(i), i))
            key = complement(relations[i], i)
            if key is None:  # cannot happen: a relation has at least two members
                single.discard(i)
                continue
            hidden.add(key)
            for j in of_key[key]:
                if unsafe(j):
                    single.add(j)
                else:
                    single.discard(j)

    settle()
    while True:
        # Both audits: exact linear algebra, and the visitor's chained subtraction that also uses the least
        # values (a value learnt in one relation can make another relation's hidden parts sit at their floors).
        exposed = determined(hidden, relations) | inferred(hidden, relations, values, floor)
        if not exposed:
            return hidden
        before = len(hidden)
        for key in sorted(exposed, key=repr):
            options = [c for i in of_key[key] if (c := complement(relations[i], i)) is not None]
            if options:
                hidden.add(min(options, key=lambda c: (values[c] <= floor(c), values[c], repr(c))))
        if len(hidden) == before:  # nothing left to hide around the exposed cells: the smallest visible anywhere
            rest = sorted((values[k] == 0, values[k], repr(k), k) for k in of_key if k not in hidden and k not in fixed)
            if not rest:
                return hidden
            hidden.add(rest[0][3])
        settle()


def inferred(
    hidden: set[Key], relations: Sequence[Relation], values: Mapping[Key, int], floor: Callable[[Key], int]
) -> set[Key]:
    """The hidden keys a visitor learns by chaining relations: a relation with one unknown gives it, and a known
    total whose unknown parts add up to their least values gives each of them; repeated until nothing changes."""
    known = {k: v for k, v in values.items() if k not in hidden}
    changed = True
    while changed:
        changed = False
        for rel in relations:
            unknown = [k for k in rel.members if k not in known]
            if not unknown:
                continue
            if len(unknown) == 1:
                known[unknown[0]] = values[unknown[0]]
                changed = True
            elif rel.total in known:
                rest = known[rel.total] - sum(known[p] for p in rel.parts if p in known)
                if rest == sum(floor(k) for k in unknown):
                    known.update({k: values[k] for k in unknown})
                    changed = True
    return {k for k in hidden if k in known}


def determined(hidden: set[Key], relations: Sequence[Relation]) -> set[Key]:
    """The hidden keys whose value follows from the visible ones through ``relations`` (exact linear algebra).

    Each relation restricted to its hidden members is a row over the hidden keys (its visible members are known
    numbers). A hidden key is determined exactly when its unit vector lies in the span of those rows, i.e. when it
    is a pivot of the reduced row echelon form whose row has no other entry. Integer rows, reduced by their gcd,
    stay small for these 0/±1 systems, so the answer is exact (no floating point).
    """
    order: dict[Key, int] = {}
    rows: list[dict[int, int]] = []
    for rel in relations:
        row: dict[int, int] = {}
        for key, coef in ((rel.total, 1), *((p, -1) for p in rel.parts)):
            if key in hidden:
                idx = order.setdefault(key, len(order))
                row[idx] = row.get(idx, 0) + coef
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # leading column -> row (its leading column has the smallest index)
    for row in rows:
        row = dict(row)
        while row:
            lead = min(row)
            pivot = pivots.get(lead)
            if pivot is None:
                pivots[lead] = _normalised(row)
                break
            row = _eliminate(row, pivot, lead)
    # Back substitution, last pivot first, so each pivot row loses the other pivots' columns.
    for lead in sorted(pivots, reverse=True):
        row = pivots[lead]
        for col in sorted((c for c in row if c != lead and c in pivots), reverse=True):
            if col in row:
                row = _eliminate(row, pivots[col], col)
        pivots[lead] = row
    keys = {idx: key for key, idx in order.items()}
    return {keys[lead] for lead, row in pivots.items() if len(row) == 1}


def _eliminate(row: dict[int, int], pivot: dict[int, int], col: int) -> dict[int, int]:
    a, p = row[col], pivot[col]
    out = {c: v * p for c, v in row.items()}
    for c, v in pivot.items():
        out[c] = out.get(c, 0) - v * a
    return _normalised({c: v for c, v in out.items() if v})


def _normalised(row: dict[int, int]) -> dict[int, int]:
    g = 0
    for v in row.values():
        g = gcd(g, v)
    return {c: v // g for c, v in row.items()} if g > 1 else row


# --- One table ------------------------------------------------------------------------------------------------


@dataclass
class SuppressedTable:
    """``values[r][c]`` with ``None`` where hidden; row and column totals likewise."""

    rows: list[str]
    columns: list[str]
    values: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    row_keys: list[str] = field(default_factory=list)
    column_keys: list[str] = field(default_factory=list)


def suppress(rows: list[str], columns: list[str], counts: list[list[int]], min_cell: int = MIN_CELL) -> SuppressedTable:
    """Suppress one table of business counts (non-negative integers) with its row, column and grand totals."""
    n_rows, n_cols = len(rows), len(columns)
    values: dict[Key, int] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            values[(r, c)] = counts[r][c]
        values[(r, None)] = sum(counts[r])
    for c in range(n_cols):
        values[(None, c)] = sum(counts[r][c] for r in range(n_rows))
    values[(None, None)] = sum(values[(r, None)] for r in range(n_rows))
    relations = [Relation((r, None), tuple((r, c) for c in range(n_cols))) for r in range(n_rows)]
    relations += [Relation((None, c), tuple((r, c) for r in range(n_rows))) for c in range(n_cols)]
    relations += [
        Relation((None, None), tuple((r, None) for r in range(n_rows))),
        Relation((None, None), tuple((None, c) for c in range(n_cols))),
    ]
    hidden = suppress_linked(values, relations, [k for k, v in values.items() if 0 < v < min_cell])

    def shown(key: Key) -> int | None:
        return None if key in hidden else values[key]

    return SuppressedTable(
        rows=rows,
        columns=columns,
        values=[[shown((r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[shown((r, None)) for r in range(n_rows)],
        column_totals=[shown((None, c)) for c in range(n_cols)],
        grand_total=shown((None, None)),
    )


# --- The linked tables of a region hierarchy ------------------------------------------------------------------

TOTAL = "jumlah"  # the column key of a row's total
WORKFORCE = "tenaga_kerja"  # the key of a region's workforce figure


@dataclass
class LinkedStatistics:
    """Every figure of every public page, suppressed together: ``counts[(region, column)]`` for the size columns
    and ``TOTAL``, ``workforce[region]``; ``None`` where hidden. The nation is the region ``""``."""

    columns: list[str]
    children: dict[str, list[str]]
    counts: dict[tuple[str, str], int | None]
    workforce: dict[str, int | None]
    hidden_primary: int = 0
    hidden_complementary: int = 0

    def table(self, node: str, labels: Mapping[str, str], column_labels: Sequence[str]) -> SuppressedTable:
        """The page of ``node``: one row per child, the node's own figures as the totals line."""
        kids = self.children.get(node, [])
        return SuppressedTable(
            rows=[labels.get(k, k) for k in kids],
            columns=list(column_labels),
            values=[[self.counts[(k, c)] for c in self.columns] for k in kids],
            row_totals=[self.counts[(k, TOTAL)] for k in kids],
            column_totals=[self.counts[(node, c)] for c in self.columns],
            grand_total=self.counts[(node, TOTAL)],
            row_keys=list(kids),
            column_keys=list(self.columns),
        )


def suppress_hierarchy(
    children: Mapping[str, Sequence[str]],
    leaf_counts: Mapping[tuple[str, str], int],
    leaf_workforce: Mapping[str, int],
    columns: Sequence[str],
    min_cell: int = MIN_CELL,
) -> LinkedStatistics:
    """Suppress the tables of a region tree (``children[""]``: the provinces, ``children[province]``: its
    regencies/cities) as one linked set. Figures of inner regions are the sums of their leaves', so every page
    agrees with every other by construction.

    Relations: for every region, its row total = the sum of its columns; for every region with children, each of
    its columns (and its total) = the sum of that column over its children, and its workforce = the children's
    workforce. A workforce figure is hidden where it rests on 1 … ``min_cell``-1 businesses.
    """
    columns = list(columns)
    nodes: list[str] = []
    stack = [""]
    while stack:  # pre-order: a region before its children
        node = stack.pop()
        nodes.append(node)
        stack.extend(reversed(list(children.get(node, []))))
    counts: dict[tuple[str, str], int] = {}
    workforce: dict[str, int] = {}
    for node in reversed(nodes):  # children before their parent
        kids = children.get(node, [])
        for col in columns:
            if kids:
                counts[(node, col)] = sum(counts[(k, col)] for k in kids)
            else:
                counts[(node, col)] = leaf_counts.get((node, col), 0)
        counts[(node, TOTAL)] = sum(counts[(node, col)] for col in columns)
        workforce[node] = sum(workforce[k] for k in kids) if kids else leaf_workforce.get(node, 0)

    relations: list[Relation] = []
    for node in nodes:
        relations.append(Relation((node, TOTAL), tuple((node, col) for col in columns)))
        kids = children.get(node, [])
        if kids:
            for col in [*columns, TOTAL]:
                relations.append(Relation((node, col), tuple((k, col) for k in kids)))
            relations.append(Relation((node, WORKFORCE), tuple((k, WORKFORCE) for k in kids)))
        elif node in children:  # a region page without sub-regions: every figure is the sum of nothing, 0
            for key in [*((node, col) for col in [*columns, TOTAL]), (node, WORKFORCE)]:
                relations.append(Relation(key, ()))
    values: dict[Key, int] = {**counts, **{(n, WORKFORCE): w for n, w in workforce.items()}}
    primary = [k for k, v in counts.items() if 0 < v < min_cell]
    primary += [(n, WORKFORCE) for n in nodes if 0 < counts[(n, TOTAL)] < min_cell]
    hidden = suppress_linked(values, relations, primary, floor=lambda key: 0 if key[1] == WORKFORCE else 1)
    n_primary = len(set(primary))
    return LinkedStatistics(
        columns=columns,
        children={n: list(children.get(n, [])) for n in nodes if children.get(n)},
        counts={k: None if k in hidden else v for k, v in counts.items()},
        workforce={n: None if (n, WORKFORCE) in hidden else w for n, w in workforce.items()},
        hidden_primary=n_primary,
        hidden_complementary=len(hidden) - n_primary,
    )

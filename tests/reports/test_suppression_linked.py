"""Small-cell suppression across the linked public statistics pages.

The national table, every province page (``/statistik/?wilayah=<province>``) and their regency/city rows are read
together by a visitor. The attacker here reads the published pages only: every table gives the relations a visitor
can see (each row with its total, each column with its total, the totals with the grand total, the workforce column
with its total); a figure printed on two pages (a province's row on the national table and the totals line of the
province's own page) is one unknown. It then solves: first by iterated elimination (a relation with one unknown
gives it away; repeat to a fixed point), then exactly (a hidden figure is disclosed when the published relations
determine it uniquely).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.regions.models import Region, RegionLevel
from sentra.reports.services import summary_refresh, summary_refresh_all
from sentra.reports.suppression import (
    MIN_CELL,
    TOTAL,
    WORKFORCE,
    Relation,
    determined,
    suppress,
    suppress_hierarchy,
    suppress_linked,
)
from tests.registry.factories import BusinessFactory

COLUMNS = ["kecil", "menengah", "besar", ""]

# --- What a visitor can read --------------------------------------------------------------------------------------


class Page:
    """One published page: ``rows[region][column]`` and the page's own totals line ``node``; values or None."""

    def __init__(self, node: str, rows: dict, totals: dict, workforce: dict, workforce_total):
        self.node, self.rows, self.totals = node, rows, totals
        self.workforce, self.workforce_total = workforce, workforce_total

    def figures(self):
        """(key, shown value) of every figure on the page."""
        for region, cells in self.rows.items():
            for col, value in cells.items():
                yield (region, col), value
        for col, value in self.totals.items():
            yield (self.node, col), value
        for region, value in self.workforce.items():
            yield (region, WORKFORCE), value
        yield (self.node, WORKFORCE), self.workforce_total

    def relations(self):
        """Every 'total = sum of parts' a visitor reads off this page's layout."""
        cols = [c for c in self.totals if c != TOTAL]
        for region in self.rows:
            yield (region, TOTAL), [(region, c) for c in cols]
        for col in [*cols, TOTAL]:
            yield (self.node, col), [(region, col) for region in self.rows]
        yield (self.node, TOTAL), [(self.node, c) for c in cols]
        yield (self.node, WORKFORCE), [(region, WORKFORCE) for region in self.workforce]


def read_pages(pages: list[Page]) -> tuple[dict, list, set]:
    """Everything the pages show together: known values, relations, and the keys shown hidden somewhere."""
    known: dict = {}
    hidden: set = set()
    for page in pages:
        for key, value in page.figures():
            if value is None:
                hidden.add(key)
            else:
                assert known.setdefault(key, value) == value, f"{key} differs between pages"
    relations = [rel for page in pages for rel in page.relations()]
    # A figure hidden on one page but printed on another is simply disclosed.
    return known, relations, hidden


def floor(key) -> int:
    """The least value a visitor knows a hidden figure has: a count is never hidden at zero, a workforce may be."""
    return 0 if key[1] == WORKFORCE else 1


def eliminate(known: dict, relations: list) -> dict:
    """The visitor's subtraction: a relation with exactly one unknown gives it; so does a shown total whose hidden
    parts add up to their least possible values (hidden counts 1, 1, 1 under a shown 3). Repeat until stable."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            unknown = [k for k in (total, *parts) if k not in known]
            if len(unknown) == 1:
                (key,) = unknown
                if key == total:
                    known[key] = sum(known[p] for p in parts)
                else:
                    known[key] = known[total] - sum(known[p] for p in parts if p != key)
                changed = True
            elif unknown and total in known:
                rest = known[total] - sum(known[p] for p in parts if p in known)
                if rest == sum(floor(k) for k in unknown):
                    known.update({k: floor(k) for k in unknown})
                    changed = True
    return known


def solve_exactly(hidden: set, relations: list) -> set:
    """The hidden keys that the published relations determine uniquely (Gauss-Jordan over the rationals)."""
    unknowns = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for total, parts in relations:
        row = [Fraction(0)] * len(unknowns)
        for key, coef in ((total, 1), *((p, -1) for p in parts)):
            if key in index:
                row[index[key]] += coef
        if any(row):
            rows.append(row)
    pivot_cols = []
    r = 0
    for c in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivot_cols.append(c)
        r += 1
    return {unknowns[c] for i, c in enumerate(pivot_cols) if sum(1 for v in rows[i] if v != 0) == 1}


def assert_nothing_disclosed(pages: list[Page], truth: dict | None = None) -> None:
    known, relations, hidden = read_pages(pages)
    leaked = hidden & set(known)
    assert not leaked, f"hidden on one page, printed on another: {sorted(leaked)}"
    recovered = set(eliminate(known, relations)) & hidden
    assert not recovered, f"recovered by subtraction: {sorted(recovered)}"
    assert not solve_exactly(hidden, relations), "a hidden figure is determined by the published relations"
    if truth is not None:
        for key, value in known.items():
            assert truth[key] == value


def pages_of(linked, children) -> list[Page]:
    pages = []
    for node in ["", *children[""]]:
        table = linked.table(node, {}, COLUMNS)
        rows = {
            region: dict(zip([*COLUMNS, TOTAL], [*table.values[i], table.row_totals[i]], strict=True))
            for i, region in enumerate(table.row_keys)
        }
        totals = dict(zip([*COLUMNS, TOTAL], [*table.column_totals, table.grand_total], strict=True))
        workforce = {region: linked.workforce[region] for region in table.row_keys}
        pages.append(Page(node, rows, totals, workforce, linked.workforce[node]))
    return pages


# --- Random hierarchies ---------------------------------------------------------------------------------------

small_or_not = st.one_of(st.integers(0, 3), st.integers(0, 3), st.integers(0, 40))


@st.composite
def hierarchies(draw, max_provinces=4, max_regencies=4):
    children: dict[str, list[str]] = {"": []}
    counts, workforce = {}, {}
    for p in range(draw(st.integers(1, max_provinces))):
        province = f"{p + 11}"
        children[""].append(province)
        children[province] = []
        for r in range(draw(st.integers(0, max_regencies))):
            regency = f"{province}.{r + 71}"
            children[province].append(regency)
            for col in COLUMNS:
                counts[(regency, col)] = draw(small_or_not)
            workforce[regency] = draw(st.integers(0, 60))
    return children, counts, workforce


def truth_of(children, counts, workforce) -> dict:
    """Every true figure of every page, summed independently of the code under test."""
    truth = {}

    def visit(node):
        kids = children.get(node, [])
        if not kids:
            cells = {c: counts.get((node, c), 0) for c in COLUMNS}
            wf = workforce.get(node, 0)
        else:
            parts = [visit(k) for k in kids]
            cells = {c: sum(p[0][c] for p in parts) for c in COLUMNS}
            wf = sum(p[1] for p in parts)
        for c, v in cells.items():
            truth[(node, c)] = v
        truth[(node, TOTAL)] = sum(cells.values())
        truth[(node, WORKFORCE)] = wf
        return cells, wf

    visit("")
    return truth


@settings(max_examples=250, deadline=None)
@given(hierarchies())
def test_no_suppressed_figure_is_recoverable_from_all_pages_together(tree):
    children, counts, workforce = tree
    linked = suppress_hierarchy(children, counts, workforce, COLUMNS)
    pages = pages_of(linked, children)
    truth = truth_of(children, counts, workforce)
    assert_nothing_disclosed(pages, truth)
    known, _relations, _hidden = read_pages(pages)
    for (region, col), value in known.items():
        if col == WORKFORCE:  # a workforce figure is shown only where it rests on enough businesses
            assert not 0 < truth[(region, TOTAL)] < MIN_CELL
        else:
            assert not 0 < value < MIN_CELL


# --- The finding, and the linear algebra ----------------------------------------------------------------------

EXAMPLE_CHILDREN = {"": ["73", "74", "75"], "73": ["73.71", "73.72"], "74": ["74.71", "74.72"], "75": ["75.71"]}
EXAMPLE_COUNTS = {
    ("73.71", "kecil"): 12,
    ("73.71", "besar"): 5,
    ("73.72", "kecil"): 4,
    ("74.71", "kecil"): 10,
    ("74.71", "besar"): 2,
    ("74.72", "kecil"): 8,
    ("75.71", "kecil"): 9,
}


def test_tables_suppressed_one_by_one_give_a_province_away():
    """The finding: each table safe on its own, yet the national 'besar' figure of province 74 (2) is the
    national column total minus province 73's column total printed on 73's own page."""
    pages = []
    for node in ["", "73", "74", "75"]:
        kids = EXAMPLE_CHILDREN[node]
        truth = truth_of(EXAMPLE_CHILDREN, EXAMPLE_COUNTS, {})
        table = suppress(kids, COLUMNS, [[truth[(k, c)] for c in COLUMNS] for k in kids])
        rows = {
            k: dict(zip([*COLUMNS, TOTAL], [*table.values[i], table.row_totals[i]], strict=True))
            for i, k in enumerate(kids)
        }
        totals = dict(zip([*COLUMNS, TOTAL], [*table.column_totals, table.grand_total], strict=True))
        pages.append(Page(node, rows, totals, {}, None))
    known, relations, hidden = read_pages(pages)
    assert ("74", "besar") in hidden and ("73", "besar") in known  # hidden nationally, printed on 73's page
    assert eliminate(known, relations)[("74", "besar")] == 2


def test_linked_suppression_closes_the_example():
    linked = suppress_hierarchy(EXAMPLE_CHILDREN, EXAMPLE_COUNTS, {}, COLUMNS)
    assert linked.counts[("74", "besar")] is None
    assert linked.counts[("73", "besar")] is None  # the national complement stays hidden on 73's page too
    assert linked.counts[("", "besar")] == 7
    assert_nothing_disclosed(pages_of(linked, EXAMPLE_CHILDREN), truth_of(EXAMPLE_CHILDREN, EXAMPLE_COUNTS, {}))


def _table_relations(n_rows, n_cols):
    rels = [Relation(("r", r), tuple((r, c) for c in range(n_cols))) for r in range(n_rows)]
    return rels + [Relation(("c", c), tuple((r, c) for r in range(n_rows))) for c in range(n_cols)]


def test_exact_audit_finds_a_cell_no_single_subtraction_reveals():
    """Two blocks of four hidden cells joined by one hidden cell (2,3): every row and column has two unknowns
    or more, yet rows 0–1 minus columns 0–1 leave exactly cell (1,2)."""
    rels = _table_relations(4, 4)
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    for rel in rels:
        assert sum(k in hidden for k in rel.members) != 1
    assert determined(hidden, rels) == {(1, 2)}
    assert determined(hidden - {(1, 2)}, rels) == set()


def test_suppression_does_not_stop_at_the_one_unknown_rule():
    rels = _table_relations(4, 4)
    values = {(r, c): 10 + r + c for r in range(4) for c in range(4)}
    values.update({("r", r): sum(values[(r, c)] for c in range(4)) for r in range(4)})
    values.update({("c", c): sum(values[(r, c)] for r in range(4)) for c in range(4)})
    primary = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]
    hidden = suppress_linked(values, rels, primary)
    assert set(primary) <= hidden
    assert determined(hidden, rels) == set()
    known = {k: v for k, v in values.items() if k not in hidden}
    assert not set(eliminate(known, [(r.total, list(r.parts)) for r in rels])) & hidden


def test_hidden_counts_cannot_be_read_from_their_least_values():
    """Three cities with one business each under a shown column total of 3 would all be 1: a visitor knows a
    hidden count is at least 1, because zeros are shown."""
    children = {"": ["11", "12"], "11": ["11.71", "11.72", "11.73", "11.74"], "12": ["12.71"]}
    counts = {("11.71", "kecil"): 1, ("11.72", "kecil"): 1, ("11.73", "kecil"): 1, ("11.74", "kecil"): 9}
    counts[("12.71", "kecil")] = 20
    ones = Page("11", {f"11.7{i}": {"kecil": None} for i in (1, 2, 3)}, {"kecil": 3}, {}, None)
    assert eliminate({("11", "kecil"): 3}, list(ones.relations())[:4])[("11.71", "kecil")] == 1
    linked = suppress_hierarchy(children, counts, {}, COLUMNS)
    assert linked.counts[("11.74", "kecil")] is None or linked.counts[("11", "kecil")] is None
    assert_nothing_disclosed(pages_of(linked, children), truth_of(children, counts, {}))


def test_workforce_of_one_business_is_hidden_even_when_it_is_zero():
    children = {"": ["11", "12"], "11": ["11.71", "11.72"], "12": ["12.71"]}
    counts = {("11.71", "kecil"): 1, ("11.72", "kecil"): 9, ("12.71", "kecil"): 7}
    linked = suppress_hierarchy(children, counts, {"11.71": 0, "11.72": 30, "12.71": 20}, COLUMNS)
    assert linked.workforce["11.71"] is None
    assert_nothing_disclosed(pages_of(linked, children), truth_of(children, counts, {"11.72": 30, "12.71": 20}))


# --- Through the public pages ---------------------------------------------------------------------------------


class _StatsParser(HTMLParser):
    """Reads the figures of a statistics page by their region (``data-wilayah``) and column (``data-kolom``)."""

    def __init__(self):
        super().__init__()
        self.table = ""
        self.section = ""
        self.region = None
        self.column = None
        self.text = ""
        self.cells: dict[str, dict] = {"stats-size": {}, "stats-workforce": {}}
        self.body_rows: dict[str, list] = {"stats-size": [], "stats-workforce": []}
        self.foot: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("data-testid", "")
        elif tag in ("tbody", "tfoot"):
            self.section = tag
        elif tag == "tr" and "data-wilayah" in attrs:
            self.region = attrs["data-wilayah"]
            if self.section == "tbody":
                self.body_rows[self.table].append(self.region)
            elif self.section == "tfoot":
                self.foot[self.table] = self.region
        elif tag == "td" and "data-kolom" in attrs:
            self.column, self.text = attrs["data-kolom"], ""

    def handle_data(self, data):
        if self.column is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "td" and self.column is not None:
            text = self.text.strip()
            value = None if text == "•" else int(text.replace(".", ""))
            self.cells[self.table][(self.region, self.column)] = value
            self.column = None


def read_page(client, code: str | None) -> Page:
    response = client.get(reverse("reports:statistics"), {"wilayah": code} if code else {})
    assert response.status_code == 200
    parser = _StatsParser()
    parser.feed(response.content.decode())
    cells, wf = parser.cells["stats-size"], parser.cells["stats-workforce"]
    node = parser.foot["stats-size"]
    assert node == (code or "") == parser.foot["stats-workforce"]
    regions = parser.body_rows["stats-size"]
    assert regions == parser.body_rows["stats-workforce"]
    rows = {r: {c: cells[(r, c)] for c in [*COLUMNS, TOTAL]} for r in regions}
    totals = {c: cells[(node, c)] for c in [*COLUMNS, TOTAL]}
    return Page(node, rows, totals, {r: wf[(r, WORKFORCE)] for r in regions}, wf[(node, WORKFORCE)])


def _businesses(region: str, n: int, *, size: str = "kecil") -> None:
    big = {"workforce_male": 60, "investment_value": Decimal("20000000000")} if size == "besar" else {}
    for i in range(n):
        BusinessFactory(name=f"{region} {size} {i}", region_id=region, district_id=None, village_id=None, **big)


@pytest.fixture
def example(db):
    """The finding's data: Kota Kendari has 2 large industries, Kota Makassar 5, nobody else any."""
    _businesses("74.71", 10)
    _businesses("74.71", 2, size="besar")
    _businesses("74.72", 8)
    _businesses("73.71", 12)
    _businesses("73.71", 5, size="besar")
    _businesses("73.72", 4)
    summary_refresh_all()


@pytest.mark.django_db
def test_pages_no_longer_give_the_province_away(example, client):
    national = read_page(client, None)
    sulsel, sultra = read_page(client, "73"), read_page(client, "74")
    assert national.totals["besar"] == 7  # the national column total is still published
    assert national.rows["74"]["besar"] is None  # Sulawesi Tenggara's 2 large industries: hidden
    # The finding's subtraction: the national total minus the other provinces' 'besar' figures. Sulawesi
    # Selatan's figure (5) is hidden on the national table and on its own page alike, so it cannot be done.
    known, _relations, _hidden = read_pages([national, sulsel])
    assert ("73", "besar") not in known
    assert sulsel.totals["besar"] is None and national.rows["73"]["besar"] is None
    assert sultra.totals["besar"] is None and sultra.rows["74.71"]["besar"] is None
    # Every page a visitor can open, attacked together.
    provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True))
    pages = [national, sulsel, sultra] + [read_page(client, p) for p in provinces if p not in ("73", "74")]
    assert_nothing_disclosed(pages)
    assert national.totals[TOTAL] == 41  # the figures that protect nobody stay


@pytest.mark.django_db
def test_pages_read_one_cached_result_and_follow_a_refresh(example, client, django_assert_max_num_queries):
    read_page(client, None)  # computes and caches the linked set
    with django_assert_max_num_queries(4):  # state stamp (2), the province, nothing recomputed
        page = read_page(client, "74")
    assert page.rows["74.72"]["kecil"] == 8
    _businesses("74.72", 3)
    summary_refresh(region_ids=["74.72"])
    assert read_page(client, "74").rows["74.72"]["kecil"] == 11
    assert read_page(client, None).totals[TOTAL] == 44


@pytest.mark.django_db
def test_only_provinces_have_a_page(example, client):
    for code in ("74.71", "99", "7<script>"):
        assert client.get(reverse("reports:statistics"), {"wilayah": code}).status_code == 404


@pytest.mark.django_db
def test_the_page_offers_no_unsuppressed_download_or_map(example, client):
    """The public page and its open data files (the same suppressed figures, tests/reports/test_opendata.py) are
    the only public surface of these figures: no chart data, map layer or other file link."""
    html = client.get(reverse("reports:statistics")).content.decode()
    files = re.findall(r'href="([^"]*\.(?:xlsx|csv|json)[^"]*)"', html)
    assert files and all(f.startswith("/statistik/data/") for f in files), files
    for internal in (reverse("reports:map_data"), ".xlsx", "json_script"):
        assert internal not in html
    assert re.search(r'data-kolom="besar">\s*<span title="[^"]+">•</span>', html)


def test_a_region_without_sub_regions_is_never_a_complement():
    """Found by the property test: a province page with no regencies shows zeros anyone can tell; hiding its
    workforce as a complement protected nothing and read as 'recovered'."""
    children = {"": ["11", "12"], "11": [], "12": ["12.71", "12.72"]}
    counts = {("12.71", "menengah"): 2, ("12.71", "besar"): 1, ("12.72", ""): 1}
    counts.update({(r, c): 0 for r in ("12.71", "12.72") for c in COLUMNS if (r, c) not in counts})
    linked = suppress_hierarchy(children, counts, {"12.71": 0, "12.72": 0}, COLUMNS)
    assert_nothing_disclosed(pages_of(linked, children), truth_of(children, counts, {"12.71": 0, "12.72": 0}))
    assert linked.workforce["11"] == 0

"""What a business is found by: its name and the names of the people who own it, in one column.

An officer types "Saputra" and expects both "UD Saputra Jaya" and the shop whose owner is Budi Saputra. Searching
the business and its owners as two sets and uniting them made PostgreSQL build every owner match first (60,000
people for a common family name in a national register) before it could return the first page. One column per
business (``Business.search_text``) with one trigram index lets the database either walk the list's own index and
stop at the first page of matches (a common name) or read the few matches from the trigram index (a rare one).

The column is derived data: every write path that changes a business's name or its owners keeps it current, the
bulk path as it writes the rows (``for_row``), the others by recomputing it from the database (``refresh``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections

#: Between the name and each owner's name: a word break, so a search for "Jaya Budi" finds no business whose name
#: ends in "Jaya" and whose owner is called "Budi…" by accident of two fields being joined.
SEPARATOR = " | "

_CHUNK = 5_000


def for_row(name: str, owner_names: Iterable[str]) -> str:
    """The column for a business named ``name`` owned by people with these names (in the order of their ids)."""
    return SEPARATOR.join([name, *(n for n in owner_names if n)])


def _sql(vendor: str, *, by: str) -> str:
    """One UPDATE that recomputes the column from the tables for the businesses chosen by ``by`` (ids)."""
    if vendor == "postgresql":
        owners = "string_agg(o.full_name, %s ORDER BY o.id)"
    else:
        # SQLite's group_concat has no ORDER BY before 3.44: the ids are read in order from a sorted subquery.
        owners = "group_concat(full_name, %s)"
    inner = (
        "SELECT o.id, o.full_name FROM registry_ownership w JOIN registry_owner o ON o.id = w.owner_id "
        "WHERE w.business_id = registry_business.id AND o.full_name <> ''"
    )
    if vendor == "postgresql":
        names = f"(SELECT {owners} FROM ({inner}) o)"  # noqa: S608 - constant SQL, placeholders only
    else:
        names = f"(SELECT {owners} FROM ({inner} ORDER BY o.id))"  # noqa: S608 - constant SQL
    where = {
        "all": "",
        "business": " WHERE id IN ({ids})",
        "owner": " WHERE id IN (SELECT business_id FROM registry_ownership WHERE owner_id IN ({ids}))",
    }[by]
    update = "UPDATE registry_business SET search_text = name || COALESCE(%s || "
    return update + names + ", '')" + where


def _run(by: str, ids: Sequence[int] | None, using: str) -> None:
    connection = connections[using]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(_sql(vendor, by="all"), [SEPARATOR, SEPARATOR])
            return
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            sql = _sql(vendor, by=by).format(ids=", ".join(["%s"] * len(chunk)))
            cursor.execute(sql, [SEPARATOR, SEPARATOR, *chunk])


def refresh(business_ids: Iterable[int] | None = None, *, using: str = "default") -> None:
    """Recompute the column of these businesses (all when ``None``: a migration, a repair) from the tables."""
    _run("business", None if business_ids is None else sorted(set(business_ids)), using)


def refresh_for_owners(owner_ids: Iterable[int], *, using: str = "default") -> None:
    """Recompute the column of every business these people own (after a change of their names)."""
    ids = sorted(set(owner_ids))
    if ids:
        _run("owner", ids, using)

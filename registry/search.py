"""Name substring search that the PostgreSQL indexes can serve (DOMAIN §13).

``icontains`` sends ``UPPER(name::text) LIKE UPPER('%…%')``, which the pg_trgm GIN indexes of the search migrations
(registry 0003, disclosure 0003) answer for queries of three characters or more. A trigram index cannot serve one
or two characters, and Chinese names are often searched with two (华为, 小米): for those the query asks instead that
``credit_name_grams(name)`` (every distinct character and character pair of the upper-cased name, an IMMUTABLE SQL
function of the same migrations) contain the query's gram, which a GIN expression index answers. For one or two
characters that is exactly "contains the term". Beside it goes the same test in a cheap form that the trigram index
cannot take (``name LIKE '%华为%'``, or ``strpos(UPPER(name), 'AB') > 0`` where letter case matters): with
``UPPER(name) LIKE``, the planner took the trigram index (which matches every row for a 2-character pattern); with
the cheap form, a common gram is answered by walking the public order (disclosure 0006) and computing the grams only
for the names that contain the term. A gram in more than ``COMMON_GRAM_SHARE`` of the names (有限, 公司, 天津: the
statistics of disclosure 0005 say so) is asked in the cheap form alone: the gram index would hand over most of the
table, and computing the grams of the ~1,000 names a capped count reads cost ~23 ms. The function is declared
expensive (COST) so that the planner tests it last and never prefers a sequential scan that evaluates it per row.
On other databases (SQLite) ``icontains`` alone is used.
"""

from __future__ import annotations

import time

from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex, Upper

GRAMS_FUNCTION = "credit_name_grams"
TRIGRAM_MIN_LENGTH = 3

# The function the migrations create (CREATE OR REPLACE, so that either app's migration may run first).
CREATE_GRAMS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {GRAMS_FUNCTION}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{{}}') FROM (
        SELECT substr(upper(name), i, 1) AS gram FROM generate_series(1, char_length(name)) AS i
        UNION ALL
        SELECT substr(upper(name), i, 2) FROM generate_series(1, char_length(name) - 1) AS i
    ) AS grams
$$
"""


def query_grams(term: str) -> list[str]:
    """The grams a name must contain to contain ``term``: its character pairs, or the one character."""
    term = term.upper()
    if len(term) == 1:
        return [term]
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


# A gram in more than this share of a table's names is "common": its searches walk the table's order (the public order
# of disclosure 0006) testing the cheap condition alone, instead of computing the grams of every name they pass.
COMMON_GRAM_SHARE = 0.08
STATISTICS_FIELD = "subject_name"  # the column whose grams disclosure 0005 keeps statistics on
GRAM_STATISTICS_SECONDS = 600  # how long a process keeps a table's gram shares before reading them again
_gram_shares: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def gram_shares(queryset: QuerySet) -> dict[str, float]:
    """Share of the table's names holding each common gram, from the statistics ANALYZE keeps on
    ``credit_name_grams(subject_name)`` (``<table>_name_grams_stats``, disclosure 0005); empty where there are none
    (SQLite, PostgreSQL before 14, a table not analyzed yet, or a role that does not own the table, to which
    ``pg_stats_ext_exprs`` shows nothing): every gram then takes the gram index, which is always correct."""
    connection = connections[queryset.db]
    table = queryset.model._meta.db_table
    key = (connection.alias, table)
    cached = _gram_shares.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    shares: dict[str, float] = {}
    if connection.vendor == "postgresql" and connection.pg_version >= 140000:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats_ext_exprs "
                "WHERE tablename = %s AND statistics_name = %s",
                [table, f"{table}_name_grams_stats"],
            )
            row = cursor.fetchone()
        if row and row[0]:
            elements, frequencies = row
            # The frequencies end with two or three summary figures (pg_stats): one per element before them.
            shares = dict(zip(elements, frequencies[: len(elements)], strict=True))
    _gram_shares[key] = (time.monotonic() + GRAM_STATISTICS_SECONDS, shares)
    return shares


def forget_gram_statistics() -> None:
    """Read the statistics again on the next search (tests; after an ANALYZE that must count at once)."""
    _gram_shares.clear()


def name_contains(queryset: QuerySet, field: str, term: str) -> QuerySet:
    """Rows whose ``field`` contains ``term`` (case-insensitive), through an index on PostgreSQL whatever its length."""
    if (
        connections[queryset.db].vendor != "postgresql"
        or len(term) >= TRIGRAM_MIN_LENGTH
        or len(term.upper()) != len(term)  # ß → SS: Python's and PostgreSQL's upper() may disagree; LIKE then
    ):
        return queryset.filter(**{f"{field}__icontains": term})
    from django.contrib.postgres.fields import ArrayField

    # The cheap form of the condition, which no index answers: LIKE on the column (with its statistics) where letter
    # case does not matter (Chinese, digits), else strpos on the upper-cased name.
    if term.upper() == term.lower():
        cheap = Q(**{f"{field}__contains": term})
    else:
        queryset = queryset.alias(name_position=StrIndex(Upper(field), Value(term.upper())))
        cheap = Q(name_position__gt=0)
    (gram,) = query_grams(term)
    if field == STATISTICS_FIELD and gram_shares(queryset).get(gram, 0.0) >= COMMON_GRAM_SHARE:
        return queryset.filter(cheap)
    # One or two characters: the name contains the term exactly when its grams contain the term's one gram. The
    # cheap form goes beside it: where the planner walks the order all the same, PostgreSQL tests it first and
    # computes the grams only for the names that pass it.
    grams = Func(F(field), function=GRAMS_FUNCTION, output_field=ArrayField(TextField()))
    return queryset.alias(name_grams=grams).filter(cheap, name_grams__contains=[gram])

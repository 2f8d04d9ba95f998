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
for the names that contain the term. The function is declared expensive (COST) so that the planner tests it last
and never prefers a sequential scan that evaluates it per row. On other databases (SQLite) ``icontains`` alone is
used.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import F, Func, QuerySet, TextField, Value
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


def name_contains(queryset: QuerySet, field: str, term: str) -> QuerySet:
    """Rows whose ``field`` contains ``term`` (case-insensitive), through an index on PostgreSQL whatever its length."""
    if (
        connections[queryset.db].vendor != "postgresql"
        or len(term) >= TRIGRAM_MIN_LENGTH
        or len(term.upper()) != len(term)  # ß → SS: Python's and PostgreSQL's upper() may disagree; LIKE then
    ):
        return queryset.filter(**{f"{field}__icontains": term})
    from django.contrib.postgres.fields import ArrayField

    # One or two characters: the name contains the term exactly when its grams contain the term's one gram.
    grams = Func(F(field), function=GRAMS_FUNCTION, output_field=ArrayField(TextField()))
    queryset = queryset.alias(name_grams=grams).filter(name_grams__contains=query_grams(term))
    # The same condition, cheap: where the planner walks the public order (a common gram), PostgreSQL tests the
    # cheaper condition first and computes the grams only for the names that pass it. Neither form matches the
    # trigram index's expression.
    if term.upper() == term.lower():  # no letter case (Chinese, digits): the column's LIKE, with its statistics
        return queryset.filter(**{f"{field}__contains": term})
    return queryset.alias(name_position=StrIndex(Upper(field), Value(term.upper()))).filter(name_position__gt=0)

"""Name substring search that the PostgreSQL indexes can serve (DOMAIN §13).

``icontains`` sends ``UPPER(name::text) LIKE UPPER('%…%')``, which the pg_trgm GIN indexes of the search migrations
(registry 0003, disclosure 0003) answer for queries of three characters or more. A trigram index cannot serve one
or two characters, and Chinese names are often searched with two (华为, 小米): for those the query also asks that
``credit_name_grams(name)`` (every distinct character and character pair of the upper-cased name, an IMMUTABLE SQL
function of the same migrations) contain the query's grams, which a GIN expression index answers; the LIKE stays
as the exact check. On other databases (SQLite) ``icontains`` alone is used.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import F, Func, QuerySet, TextField

GRAMS_FUNCTION = "credit_name_grams"
TRIGRAM_MIN_LENGTH = 3

# The function the migrations create (CREATE OR REPLACE, so that either app's migration may run first).
CREATE_GRAMS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {GRAMS_FUNCTION}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
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
    queryset = queryset.filter(**{f"{field}__icontains": term})
    if connections[queryset.db].vendor != "postgresql" or len(term) >= TRIGRAM_MIN_LENGTH:
        return queryset
    if len(term.upper()) != len(term):  # ß → SS: Python's and PostgreSQL's upper() may disagree; LIKE alone then
        return queryset
    from django.contrib.postgres.fields import ArrayField

    grams = Func(F(field), function=GRAMS_FUNCTION, output_field=ArrayField(TextField()))
    return queryset.alias(name_grams=grams).filter(name_grams__contains=query_grams(term))

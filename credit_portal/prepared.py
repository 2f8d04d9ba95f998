"""Querysets compiled to SQL once and run many times with new parameter values (issue 10 (a)).

Compiling a queryset is the larger part of a short read's Python: the public record lists select 30-odd columns and
join the department, and Django builds that statement afresh for every request (about a millisecond, as long as
PostgreSQL takes to plan and run it). A ``PreparedQuery`` is compiled once from an ordinary queryset in which each
varying value is a *marker* (a string no one searches for); running it substitutes the real values for the markers
among the statement's parameters and turns the rows into model instances the way Django's own ``ModelIterable`` does
(converters, deferred fields, ``select_related`` objects). The SQL is the ORM's, so it follows the models and the
querysets it was built from; tests/core/test_prepared_queries.py compares what both return.

A prepared query belongs to the thread that compiled it (it holds that thread's database connection for its
converters): ``prepared()`` keeps one per thread and key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class PreparedQuery:
    """``queryset`` compiled once; ``markers`` name its varying values (name → the marker value used in it)."""

    def __init__(self, queryset: QuerySet, markers: Mapping[str, str]):
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._known_related_objects
            or queryset._prefetch_related_lookups
        ):
            raise ValueError("only querysets of model instances, without prefetching, can be prepared")
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.slots: dict[str, list[int]] = {}
        for name, marker in markers.items():
            positions = [index for index, param in enumerate(self.params) if param == marker]
            if not positions:
                # The marker was changed on its way into the SQL (a lookup that escapes or wraps its value): the
                # real value could not simply be put in its place.
                raise ValueError(f"marker {name!r} is not a parameter of the compiled statement as given")
            self.slots[name] = positions
        # What ModelIterable reads from its compiler after running it (django.db.models.query.ModelIterable).
        self.compiler = compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.related_populators = get_related_populators(klass_info, compiler.select, self.db)
        self.annotation_col_map = compiler.annotation_col_map
        self.converters = compiler.get_converters([column[0] for column in compiler.select[0 : compiler.col_count]])

    def run(self, **values) -> list[Model]:
        if values.keys() != self.slots.keys():
            raise TypeError(f"values for {sorted(self.slots)} expected, got {sorted(values)}")
        params = list(self.params)
        for name, positions in self.slots.items():
            for position in positions:
                params[position] = values[name]
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, instance)
            for name, position in self.annotation_col_map.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


_per_thread = threading.local()


def prepared(key: tuple, build: Callable[[], tuple[QuerySet, Mapping[str, str]]]) -> PreparedQuery:
    """This thread's prepared query for ``key``, compiled from ``build()`` (queryset, markers) the first time.

    ``key`` must say everything the queryset depends on besides the markers (the day, for the public lists);
    ``retire`` drops the keys no longer asked for."""
    queries = getattr(_per_thread, "queries", None)
    if queries is None:
        queries = _per_thread.queries = {}
    query = queries.get(key)
    if query is None:
        query = queries[key] = PreparedQuery(*build())
    return query


def retire(keep: Callable[[tuple], bool]) -> None:
    """Drop this thread's prepared queries whose key ``keep`` refuses (yesterday's, say)."""
    queries = getattr(_per_thread, "queries", {})
    for key in [key for key in queries if not keep(key)]:
        del queries[key]

"""Every named URL pattern of the project, with the keyword arguments each needs (for the matrix and the scan)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

# Of the admin's own pages only the index and each model's changelist are walked: the add/change/delete/history
# pages repeat the changelist's permission check per object, and the app's admin tests cover them.
ADMIN_KEPT = re.compile(r"^admin:(index|[a-z0-9_]+_changelist)$")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]  # the path parameters to fill, in order of appearance
    route: str  # the readable pattern, for messages


def _kwarg_names(pattern) -> list[str]:
    regex = getattr(pattern.pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def walk(resolver=None, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()) -> list[Route]:
    """All named routes, depth first; a name reached through several patterns (format suffixes) is kept once."""
    resolver = resolver or get_resolver()
    routes: dict[str, Route] = {}
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern)
        names = kwargs + tuple(name for name in _kwarg_names(entry) if name not in kwargs)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for route in walk(entry, here, inner, names):
                name = route.name
                if name in routes and routes[name].route != route.route:
                    name = f"{name} @ {route.route}"
                routes.setdefault(name, Route(name=name, kwargs=route.kwargs, route=route.route))
        elif isinstance(entry, URLPattern) and entry.name:
            if "format" in names:  # DRF's format-suffix twin of a route already listed
                continue
            name = f"{namespace}{entry.name}"
            if name.startswith("admin:") and not ADMIN_KEPT.match(name):
                continue
            if name in routes and routes[name].route != here:
                name = f"{name} @ {here}"  # one name used by two different routes (an API route and a page)
            routes.setdefault(name, Route(name=name, kwargs=names, route=here))
    return list(routes.values())


def admin_changelists() -> list[str]:
    """URL names of the changelists of every model registered in the admin."""
    return [f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry]

"""Public open-data pages: the list of daily snapshots with their format description, and file downloads."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import exports, selectors

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def snapshots(request: HttpRequest) -> HttpResponse:
    """Daily snapshots, newest first, with row counts, checksums and the fields of each dataset."""
    return render(
        request,
        "opendata/snapshots.html",
        {"snapshots": selectors.snapshots()[:60], "datasets": exports.field_table()},
    )


def download(request: HttpRequest, date: str, name: str) -> FileResponse:
    """One file of a snapshot; only names its manifest lists are served."""
    path = selectors.snapshot_file(date=date, name=name)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"{date}-{name}")
    response["Content-Type"] = CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    return response

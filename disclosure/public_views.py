"""Public 双公示 查询 pages: search lists and record details, server-rendered, no script needed (DOMAIN §10)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from credit_portal import access
from credit_portal.paginators import CappedPaginator

from . import public_search
from .choices import RecordKind
from .imports import templates as files

PAGE_SIZE = 20
EXPORT_FORMATS = ("xlsx", "csv")


def _export(queryset, *, kind: str, file_format: str) -> HttpResponse:
    """Staff export of the current search (issue 3 §7): public columns only, natural persons masked."""
    data = files.write_table(file_format, public_search.export_rows(queryset, kind=kind))
    response = HttpResponse(data, content_type=files.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{kind}-search.{file_format}"'
    return response


def _search(request: HttpRequest, *, kind: str) -> HttpResponse:
    if kind == RecordKind.PENALTY:
        filterset = public_search.PublicPenaltyFilter(request.GET or None, queryset=public_search.public_penalties())
    else:
        filterset = public_search.PublicLicensingFilter(
            request.GET or None, queryset=public_search.public_licensings()
        )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    export = request.GET.get("export")
    if export in EXPORT_FORMATS and access.is_staff_member(request.user):
        return _export(queryset, kind=kind, file_format=export)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "disclosure/public/search.html",
        {
            "kind": kind,
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "query": query.urlencode(),
            "may_export": access.is_staff_member(request.user),
        },
    )


def penalty_search(request: HttpRequest) -> HttpResponse:
    """行政处罚 公示 查询."""
    return _search(request, kind=RecordKind.PENALTY)


def licensing_search(request: HttpRequest) -> HttpResponse:
    """行政许可 公示 查询."""
    return _search(request, kind=RecordKind.LICENSING)


def _detail(request: HttpRequest, record, *, kind: str) -> HttpResponse:
    texts = {
        "facts": public_search.scrub_text(getattr(record, "violation_facts", "")),
        "basis": public_search.scrub_text(getattr(record, "legal_basis", "")),
        "content": public_search.scrub_text(record.content),
        "remarks": public_search.scrub_text(record.remarks),
    }
    return render(request, "disclosure/public/detail.html", {"kind": kind, "record": record, **texts})


def penalty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published penalty."""
    record = get_object_or_404(public_search.public_penalties(detail=True), pk=pk)
    return _detail(request, record, kind=RecordKind.PENALTY)


def licensing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One licence in publication."""
    record = get_object_or_404(public_search.public_licensings(detail=True), pk=pk)
    return _detail(request, record, kind=RecordKind.LICENSING)

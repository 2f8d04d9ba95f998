"""Clerk pages of the bulk import: upload, progress and per-row errors, template and error-report downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from credit_portal import access
from credit_portal.errors import DomainError
from disclosure.choices import ImportStatus

from . import selectors, services, templates
from .columns import KINDS, label_of
from .forms import ImportForm
from .readers import CSV, XLSX, HeaderRejected

ERRORS_PER_PAGE = 100


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload form and the department's recent imports."""
    if not access.is_staff_member(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(by=request.user, **form.cleaned_data)
        except HeaderRejected as refused:
            for error in refused.errors:
                form.add_error("file", str(error.message))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect("disclosure-import-job", pk=job.pk)
    jobs = selectors.import_jobs_for(user=request.user)[:20]
    return render(
        request,
        "disclosure/import.html",
        {"form": form, "jobs": jobs, "kinds": KINDS, "may_upload": access.is_clerk(request.user)},
    )


@login_required
def import_job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: progress (the page refreshes itself while it runs, no script needed) and its errors."""
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    errors = [{**error, "label": label_of(job.kind, error.get("field"))} for error in job.errors or []]
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    running = job.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
    return render(request, "disclosure/import_job.html", {"job": job, "errors_page": page, "running": running})


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    response = HttpResponse(
        templates.error_report(job.kind, job.errors or []), content_type=templates.CONTENT_TYPES[CSV]
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@login_required
@require_GET
def import_errors_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's bad rows with a 错误说明 column, to correct and import again."""
    job = get_object_or_404(selectors.import_jobs_for(user=request.user).exclude(file=""), pk=pk)
    response = HttpResponse(templates.error_copy(job), content_type=templates.CONTENT_TYPES[XLSX])
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    return response


@require_GET
def import_template(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    """The national template, generated from the same column definitions the import reads."""
    if kind not in KINDS or file_format not in (XLSX, CSV):
        raise Http404
    response = HttpResponse(
        templates.template_file(kind, file_format), content_type=templates.CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{templates.template_filename(kind, file_format)}"'
    return response

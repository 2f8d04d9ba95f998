"""Registry pages: the public code check, the staff subject search and detail, the code-quality report."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from credit_portal import access
from credit_portal.errors import DomainError

from . import codes, selectors, services
from .filters import SubjectFilter
from .forms import CodeCheckForm, RevealIdForm, SubjectSearchForm


def staff_required(view):
    """Logged-in staff with a role; anyone else is sent to the login page or refused."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not access.is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def code_check(request: HttpRequest) -> HttpResponse:
    """统一社会信用代码校验: every failed rule in words, the expected check character; works without JavaScript."""
    form = CodeCheckForm(request.GET or None)
    check = None
    characters = []
    if form.is_valid():
        check = codes.validate_uscc(form.cleaned_data["code"])
        wrong = {error.position for error in check.errors if error.position}
        characters = [
            {"position": position, "character": character, "is_wrong": position in wrong}
            for position, character in enumerate(check.code, start=1)
        ]
    return render(request, "registry/code_check.html", {"form": form, "check": check, "characters": characters})


@staff_required
def subject_search(request: HttpRequest) -> HttpResponse:
    """Staff subject search, scoped to what the user may see."""
    form = SubjectSearchForm(request.GET or None)
    subjects = SubjectFilter(request.GET, queryset=selectors.subjects_for_staff(request.user)).qs
    page = Paginator(subjects, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/subject_search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sees_all": access.sees_all_departments(request.user),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One subject: identifiers, masked ID with a logged reveal, change history."""
    subject = get_object_or_404(selectors.subjects_for_staff(request.user), pk=pk)
    may_reveal = subject.is_natural_person and services.may_reveal_id_number(user=request.user, subject=subject)
    form = RevealIdForm(request.POST or None) if may_reveal else None
    revealed = None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                revealed = services.reveal_id_number(
                    subject=subject, by=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
    response = render(
        request,
        "registry/subject_detail.html",
        {
            "subject": subject,
            "history": selectors.subject_history(subject)[:50],
            "form": form,
            "revealed": revealed,
        },
    )
    if revealed:
        add_never_cache_headers(response)  # the clear number must not stay in a shared cache
    return response


@staff_required
def code_quality(request: HttpRequest) -> HttpResponse:
    """重错码率 per department, for the credit office and administrators (DOMAIN §2)."""
    if not access.sees_all_departments(request.user):
        raise PermissionDenied
    rows = selectors.code_quality_by_department()
    return render(
        request,
        "registry/code_quality.html",
        {"rows": rows, "target": selectors.code_quality_target() * 100},
    )

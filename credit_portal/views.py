"""Portal-wide pages: home, staff login and logout, the staff start page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credit_portal import access


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: one search box and the sections of the portal."""
    return render(request, "home.html")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Start page for clerks, reviewers and administrators."""
    return render(request, "staff/home.html", {"role": access.role_of(request.user)})

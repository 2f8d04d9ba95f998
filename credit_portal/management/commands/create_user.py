"""create_user USERNAME --role clerk|reviewer|admin [--department USCC] [--password P]: prints the API token last."""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from django.core.management.base import BaseCommand, CommandError

from credit_portal.errors import DomainError
from registry import codes, services
from registry.models import Department


class Command(BaseCommand):
    help = "Create or update a staff account with one role and print its API token (the last word of the output)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["clerk", "reviewer", "admin"])
        parser.add_argument("--department", default="", help="the department's unified social credit code")
        parser.add_argument("--password", default=None, help="without it a new account cannot log in on the web")

    def handle(self, *args, username: str, role: str, department: str, password: str | None, **options):
        found = None
        if department:
            code = codes.normalise(department)
            found = Department.objects.filter(uscc=code).first()
            if found is None:
                raise CommandError(f"no department with the code {code} (see /api/v1/registry/departments/)")
        elif role == "clerk":
            raise CommandError("a clerk must belong to a department: give --department USCC")
        try:
            user = services.save_staff_account(username=username, role=role, department=found, password=password)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        token, _created = Token.objects.get_or_create(user=user)
        where = f" of {found.name}" if found else ""
        self.stdout.write(f"{user.username}: {role}{where}; API token: {token.key}")

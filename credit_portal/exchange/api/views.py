"""Staff API of the exchange: scoped, read-only event list; administrators resend dead or rejected events."""

from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from credit_portal.api.permissions import IsStaffMember

from .. import selectors, services
from ..models import OutboxEvent
from .serializers import OutboxEventSerializer


class OutboxEventFilter(filters.FilterSet):
    class Meta:
        model = OutboxEvent
        fields = ["status", "kind", "action", "department", "object_id"]


class OutboxEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Outbox events (clerks: their department's); ``POST …/{id}/resend/`` puts a dead or rejected one back."""

    serializer_class = OutboxEventSerializer
    permission_classes = [IsStaffMember]
    filterset_class = OutboxEventFilter

    def get_queryset(self):
        return selectors.events_for_staff(user=self.request.user)

    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Administrators only: the service refuses anyone else (403)."""
        event = services.resend_event(event=self.get_object(), by=request.user, request=request._request)
        return Response(self.get_serializer(event).data)

"""Staff API of the exchange: scoped, read-only event list; administrators resend dead or rejected events."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.api.permissions import IsStaffMember

from .. import selectors, services
from ..models import OutboxEvent
from .serializers import OutboxEventSerializer


class OutboxEventFilter(filters.FilterSet):
    class Meta:
        model = OutboxEvent
        fields = ["status", "kind", "action", "department", "object_id"]


@extend_schema(
    description=_("上报队列事件（经办人员可见本部门的）；`POST …/{id}/resend/` 将失败或被拒的事件放回队列。"),
)
class OutboxEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Outbox events (clerks: their department's); ``POST …/{id}/resend/`` puts a dead or rejected one back."""

    serializer_class = OutboxEventSerializer
    permission_classes = [IsStaffMember]
    filterset_class = OutboxEventFilter

    def get_queryset(self):
        return selectors.events_for_staff(user=self.request.user)

    @extend_schema(description=_("将失败或被拒的事件放回上报队列；仅限管理员，其他人调用时返回 403。"))
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Administrators only: the service refuses anyone else (403)."""
        event = services.resend_event(event=self.get_object(), by=request.user, request=request._request)
        return Response(self.get_serializer(event).data)


class SeesAllDepartments(permissions.BasePermission):
    """Administrators and the credit office."""

    def has_permission(self, request, view) -> bool:
        return access.sees_all_departments(request.user)


@extend_schema(
    description=_("数据库、消息代理、后台任务进程和上游平台是否可达，以及上报队列积压情况；任一不可用时返回 503。"),
    responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([SeesAllDepartments])
def health(request):
    """Database, broker, worker and upstream reachable, with the outbox backlog; 503 when one is down."""
    figures = selectors.health(now=timezone.now())
    return Response(figures, status=status.HTTP_200_OK if figures["healthy"] else status.HTTP_503_SERVICE_UNAVAILABLE)

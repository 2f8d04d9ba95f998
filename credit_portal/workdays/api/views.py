"""Public calendar API: the deadline for a start date and the list of years with their schedule status."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from .serializers import CalendarYearSerializer, DueDateQuerySerializer, DueDateSerializer

ERRORS = OpenApiResponse(description='{"errors": [{"field", "code", "message"}]}')


@extend_schema(description=_("起算日之后的第 N 个工作日，起算日当天不计入。"))
class DueDateView(APIView):
    """The Nth working day after a start date, the start day not counted (DOMAIN §4)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []  # public: no session, so no CSRF or login round trips

    @extend_schema(
        operation_id="calendar_due_date",
        summary=_("期限计算（工作日）"),
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=True,
                description=_("起算日（决定日期），格式 YYYY-MM-DD；当日不计入。"),
            ),
            OpenApiParameter("working_days", OpenApiTypes.INT, required=True, description=_("工作日天数，0 至 366。")),
        ],
        responses={200: DueDateSerializer, 400: ERRORS},
    )
    def get(self, request):
        query = DueDateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        due = services.add_working_days(query.validated_data["start"], query.validated_data["working_days"])
        return Response(DueDateSerializer({"due_date": due.date, "provisional": due.provisional}).data)


@extend_schema(summary=_("年度节假日安排列表"), description=_("日历中的每个年度及其官方节假日安排是否已录入。"))
class CalendarYearListView(generics.ListAPIView):
    """Every year in the calendar and whether its official schedule has been entered."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = CalendarYearSerializer
    pagination_class = None  # a few dozen rows, one per year
    filter_backends: list = []

    def get_queryset(self):
        return selectors.calendar_years()

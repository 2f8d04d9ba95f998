"""Bulk import API (DOMAIN §11): queue a file, follow its job, download the template and the error report."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from credit_portal.api.permissions import IsStaffMember
from disclosure.imports import selectors, services, templates
from disclosure.imports.columns import KINDS
from disclosure.imports.readers import CSV, XLSX
from disclosure.models import ImportJob


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    """A job's progress and its per-row errors (row numbers as in the file, header = row 1)."""

    errors = ImportErrorSerializer(many=True, read_only=True)
    # Plain strings with their labels (DOMAIN §11), so the schema has no competing "kind"/"status" enums.
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "is_all_or_nothing",
            "publish",
            "original_name",
            "total",
            "imported",
            "failed",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportStartSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("`licensing` 或 `penalty`（也可填 `行政许可` 或 `行政处罚`）"))
    file = serializers.FileField(help_text=_(".xlsx 或 UTF-8 .csv，表头为国家标准模板的中文字段名"))
    is_all_or_nothing = serializers.BooleanField(required=False, default=False, help_text=_("有错误时整体不导入"))
    publish = serializers.BooleanField(required=False, default=False, help_text=_("导入后直接公示（需公示权限）"))


class ImportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


@extend_schema(description=_("本部门的批量导入：POST 提交文件排队处理（202），GET 查看进度。"))
class ImportJobViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Imports of the user's department: POST queues a file (202), GET follows it."""

    permission_classes = [IsStaffMember]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        return selectors.import_jobs_for(user=self.request.user)

    def get_serializer_class(self):
        return ImportStartSerializer if self.action == "create" else ImportJobSerializer

    @extend_schema(request=ImportStartSerializer, responses={202: ImportAcceptedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ImportStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.start_import(by=request.user, **serializer.validated_data)
        job.refresh_from_db(fields=["status"])  # eager mode has run it already
        return Response(
            ImportAcceptedSerializer({"id": job.pk, "status": job.status}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        description=_("该导入任务逐行错误的 CSV：行号、列、错误代码和说明（表头为中文）。"),
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="errors-report")
    def errors_csv(self, request, pk=None):
        """The job's per-row errors as CSV: row, column, error code and explanation (headers in Chinese)."""
        job = self.get_object()
        response = HttpResponse(
            templates.error_report(job.kind, job.errors or []), content_type=templates.CONTENT_TYPES[CSV]
        )
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        return response

    @extend_schema(
        description=_("文件中出错的行（.xlsx），附加一列说明每个错误，改正后可再次导入。"),
        responses={(200, templates.CONTENT_TYPES[XLSX]): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="error-rows")
    def error_rows(self, request, pk=None):
        """The file's bad rows as .xlsx with an added column explaining each error, to correct and import again."""
        job = self.get_object()
        if not job.file:  # purged after the keeping period
            raise Http404
        response = HttpResponse(templates.error_copy(job), content_type=templates.CONTENT_TYPES[XLSX])
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
        return response


@extend_schema(description=_("一类记录的国家标准导入模板，.xlsx 或 .csv 格式。"))
class ImportTemplateView(APIView):
    """The national import template of one record kind, as .xlsx or .csv (DOMAIN §3)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, templates.CONTENT_TYPES[XLSX]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
        }
    )
    def get(self, request, kind: str, file_format: str):
        if kind not in KINDS or file_format not in (XLSX, CSV):
            raise Http404
        response = HttpResponse(
            templates.template_file(kind, file_format), content_type=templates.CONTENT_TYPES[file_format]
        )
        response["Content-Disposition"] = f'attachment; filename="{templates.template_filename(kind, file_format)}"'
        return response

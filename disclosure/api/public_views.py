"""Public 双公示 search API (DOMAIN §11): anonymous, published records in their period, natural persons masked."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from django.utils.translation import gettext_lazy as _

from credit_portal.api.pagination import CappedCountPagination
from credit_portal.api.serializers import PrebuiltFieldsMixin
from credit_portal.paginators import public_count_limit
from disclosure import public_search
from disclosure.choices import LicenceCategory, LicenceState, PenaltyCategory, Severity


class PublicSearchThrottle(AnonRateThrottle):
    """Visitors' searches per client address (DOMAIN §11: 429 when rate-limited); generous for people, not for bulk
    harvesting of records."""

    scope = "disclosure_public_search"
    rate = "300/min"


class PublicRecordSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """Fields both kinds share; never an ID number, a natural person's name masked (DOMAIN §10)."""

    id = serializers.IntegerField()
    subject_name = serializers.CharField(source="public_subject_name")
    subject_category = serializers.CharField()
    subject_category_label = serializers.CharField(source="get_subject_category_display")
    uscc = serializers.CharField()
    legal_representative = serializers.SerializerMethodField()
    document_number = serializers.CharField()
    decision_date = serializers.DateField()
    authority_name = serializers.CharField()
    authority_uscc = serializers.CharField()
    department = serializers.CharField(source="department.name")
    department_uscc = serializers.CharField(source="department.uscc")
    published_at = serializers.DateTimeField()
    is_under_objection = serializers.BooleanField()
    notice = serializers.SerializerMethodField(help_text=_("有异议正在处理时为“异议处理中”，否则为空"))

    def get_legal_representative(self, record) -> str:
        return "" if record.is_natural_person else record.legal_representative

    def get_notice(self, record) -> str:
        return str(public_search.OBJECTION_NOTE) if record.is_under_objection else ""


class ScrubbedTextField(serializers.CharField):
    def to_representation(self, value):
        return public_search.scrub_text(super().to_representation(value))


def _labels(codes: list[str], choices) -> list[str]:
    return [str(choices(code).label) for code in codes if code in choices.values]


class PublicPenaltySerializer(PublicRecordSerializer):
    violation_type = serializers.CharField()
    penalty_categories = serializers.ListField(child=serializers.CharField())
    penalty_category_labels = serializers.SerializerMethodField()
    fine_amount = serializers.DecimalField(max_digits=18, decimal_places=6, allow_null=True)
    confiscated_amount = serializers.DecimalField(max_digits=18, decimal_places=6, allow_null=True)
    licence_name_and_number = serializers.CharField()
    severity = serializers.CharField()
    severity_label = serializers.SerializerMethodField()
    publication_end_date = serializers.DateField(allow_null=True)

    def get_penalty_category_labels(self, record) -> list[str]:
        return _labels(record.penalty_categories, PenaltyCategory)

    def get_severity_label(self, record) -> str:
        return str(Severity(record.severity).label) if record.severity in Severity.values else ""


class PublicPenaltyDetailSerializer(PublicPenaltySerializer):
    violation_facts = ScrubbedTextField()
    legal_basis = ScrubbedTextField()
    content = ScrubbedTextField()
    remarks = ScrubbedTextField()
    penalty_valid_to = serializers.DateField(allow_null=True)


class PublicLicensingSerializer(PublicRecordSerializer):
    decision_document_name = serializers.CharField()
    licence_category = serializers.CharField()
    licence_category_label = serializers.SerializerMethodField()
    licence_name = serializers.CharField()
    licence_number = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    current_state = serializers.CharField()
    current_state_label = serializers.SerializerMethodField()

    def get_licence_category_label(self, record) -> str:
        return _labels([record.licence_category], LicenceCategory)[0] if record.licence_category else ""

    def get_current_state_label(self, record) -> str:
        return str(LicenceState(record.current_state).label) if record.current_state in LicenceState.values else ""


class PublicLicensingDetailSerializer(PublicLicensingSerializer):
    content = ScrubbedTextField()
    remarks = ScrubbedTextField()


class CodeSearchMixin:
    """The first page of a search by one code alone comes from SQL compiled once a day (issue 10 (a)); every other
    search, and a code with a full page of records, goes through the filter set and the paginator. Same answer."""

    def list(self, request, *args, **kwargs):
        records = public_search.code_search_first_page(
            self.get_queryset().model,
            request.query_params,
            page_size=self.paginator.page_size,
            cap=public_count_limit(),
        )
        if records is None:
            return super().list(request, *args, **kwargs)
        results = self.get_serializer(records, many=True).data
        return Response(
            {"count": len(records), "count_capped": False, "next": None, "previous": None, "results": results}
        )


@extend_schema(description=_("公示期内的行政处罚：按名称或代码（`q`）、`uscc`、部门、处罚类别、严重程度、日期查询。"))
class PublicPenaltyViewSet(CodeSearchMixin, viewsets.ReadOnlyModelViewSet):
    """Administrative penalties in publication: search by name or code (`q`), `uscc`, department, category, severity, dates."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # anonymous by design; no session or token needed
    throttle_classes = [PublicSearchThrottle]
    pagination_class = CappedCountPagination
    filterset_class = public_search.PublicPenaltyFilter

    def get_queryset(self):
        return public_search.public_penalties(detail=self.action == "retrieve")

    def get_serializer_class(self):
        return PublicPenaltyDetailSerializer if self.action == "retrieve" else PublicPenaltySerializer


@extend_schema(description=_("有效期内的行政许可决定：按名称或代码（`q`）、`uscc`、部门、许可类别、日期查询。"))
class PublicLicensingViewSet(CodeSearchMixin, viewsets.ReadOnlyModelViewSet):
    """Administrative licensing decisions while valid: search by name or code (`q`), `uscc`, department, category, dates."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicSearchThrottle]
    pagination_class = CappedCountPagination
    filterset_class = public_search.PublicLicensingFilter

    def get_queryset(self):
        return public_search.public_licensings(detail=self.action == "retrieve")

    def get_serializer_class(self):
        return PublicLicensingDetailSerializer if self.action == "retrieve" else PublicLicensingSerializer

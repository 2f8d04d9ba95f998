"""Serializers of the campaigns API; every write goes through a service (STYLE §2.2)."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from registry.models import Department, Subject

from ..choices import ComplaintKind, KeyDate, TaskStatus, Venue
from ..models import (
    ActionReport,
    Campaign,
    CampaignActivity,
    CampaignPost,
    Complaint,
    CreditTalk,
    LedgerTask,
    RoleModel,
    SpecialAction,
    StarMerchant,
    TaskReport,
)


class CodeOrLabelChoiceField(serializers.ChoiceField):
    """Accepts our code or the standard's Chinese label; answers give the code (DOMAIN §11)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            for code, label in self.choices.items():
                if data.strip() == str(label):
                    data = code
                    break
        return super().to_internal_value(data)


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="department.id")
    name = serializers.CharField(source="department.name")
    role = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    key_date = CodeOrLabelChoiceField(choices=KeyDate.choices, required=False)
    key_date_label = serializers.CharField(source="get_key_date_display", read_only=True)
    venues = serializers.ListField(child=CodeOrLabelChoiceField(choices=Venue.choices), required=False)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    participating_departments = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Department.objects.all(), required=False
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "theme",
            "key_date",
            "key_date_label",
            "start_date",
            "end_date",
            "organiser",
            "organiser_name",
            "participating_departments",
            "venues",
            "channels",
            "summary",
            "status",
            "status_label",
            "published_at",
        ]
        read_only_fields = ["status", "published_at"]
        extra_kwargs = {"organiser": {"required": False}}


class PublicCampaignSerializer(serializers.ModelSerializer):
    key_date_label = serializers.CharField(source="get_key_date_display")
    organiser_name = serializers.CharField(source="organiser.name")
    participating_departments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    venue_labels = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "theme",
            "key_date",
            "key_date_label",
            "start_date",
            "end_date",
            "organiser_name",
            "participating_departments",
            "venues",
            "venue_labels",
            "channels",
            "summary",
            "published_at",
        ]

    def get_venue_labels(self, campaign) -> list[str]:
        return [str(Venue(code).label) for code in campaign.venues if code in Venue.values]


class CampaignPostSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignPost
        fields = ["id", "title", "body", "posted_on"]


class CampaignActivitySerializer(serializers.ModelSerializer):
    venue = CodeOrLabelChoiceField(choices=Venue.choices, required=False, allow_blank=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = CampaignActivity
        fields = ["id", "department", "department_name", "held_on", "venue", "title", "description", "participants"]
        read_only_fields = ["department"]


class PublicCampaignDetailSerializer(PublicCampaignSerializer):
    """One published campaign with its news (sanitised rich text), materials and reported activities."""

    posts = CampaignPostSerializer(many=True, read_only=True)
    activities = CampaignActivitySerializer(many=True, read_only=True)
    materials = serializers.SerializerMethodField()

    class Meta(PublicCampaignSerializer.Meta):
        fields = [*PublicCampaignSerializer.Meta.fields, "posts", "activities", "materials"]

    def get_materials(self, campaign) -> list[dict]:
        from django.urls import reverse

        return [
            {"title": item.title, "kind": item.kind, "url": reverse("campaigns-material", args=[item.pk])}
            for item in campaign.materials.all()
        ]


class SpecialActionSerializer(serializers.ModelSerializer):
    departments = DepartmentRefSerializer(source="assignments", many=True, read_only=True)
    unit_count = serializers.IntegerField(read_only=True, required=False)
    reported_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = SpecialAction
        fields = [
            "id",
            "number",
            "title",
            "goals",
            "start_date",
            "end_date",
            "lead_names",
            "participant_names",
            "departments",
            "unit_count",
            "reported_count",
        ]


class PublicSpecialActionSerializer(serializers.ModelSerializer):
    departments = DepartmentRefSerializer(source="assignments", many=True, read_only=True)

    class Meta:
        model = SpecialAction
        fields = [
            "id",
            "number",
            "title",
            "goals",
            "start_date",
            "end_date",
            "lead_names",
            "participant_names",
            "departments",
        ]


class ActionReportSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    action_title = serializers.CharField(source="action.title", read_only=True)

    class Meta:
        model = ActionReport
        fields = [
            "id",
            "action",
            "action_title",
            "department",
            "department_name",
            "period",
            "text",
            "figures",
            "attachment",
            "created_at",
        ]
        read_only_fields = ["department", "created_at"]
        validators: list = []  # uniqueness is the service's (full_clean) answer, with its own code


class LedgerTaskSerializer(serializers.ModelSerializer):
    departments = DepartmentRefSerializer(source="assignments", many=True, read_only=True)
    deadline = serializers.CharField(source="deadline_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    report_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = LedgerTask
        fields = [
            "id",
            "number",
            "section",
            "description",
            "responsible_text",
            "departments",
            "deadline",
            "deadline_date",
            "is_long_term",
            "status",
            "status_label",
            "completed_on",
            "is_overdue",
            "report_count",
        ]
        read_only_fields = fields


class TaskReportSerializer(serializers.ModelSerializer):
    status = CodeOrLabelChoiceField(choices=TaskStatus.choices)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = TaskReport
        fields = ["id", "task", "department", "department_name", "text", "status", "created_at"]
        read_only_fields = ["task", "department", "created_at"]


class RoleModelSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(source="public_name", read_only=True)

    class Meta:
        model = RoleModel
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "honour",
            "awarded_on",
            "awarding_body",
            "story",
            "red_list_reference",
        ]


class StarMerchantSerializer(serializers.ModelSerializer):
    class Meta:
        model = StarMerchant
        fields = ["id", "name", "address", "trade", "stars", "review_year", "awarding_body"]


class ComplaintFilingSerializer(serializers.Serializer):
    """What the public sends; nothing else is collected (DOMAIN §10)."""

    kind = CodeOrLabelChoiceField(choices=ComplaintKind.choices)
    accused_name = serializers.CharField(max_length=200)
    accused_uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    facts = serializers.CharField(max_length=5000)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=5)

    def validate(self, attrs):
        if not attrs["is_anonymous"] and not (attrs["contact_phone"] or attrs["contact_email"]):
            raise serializers.ValidationError(
                {
                    "contact_phone": serializers.ErrorDetail(
                        _("请留下联系电话或电子邮箱，或选择匿名投诉。"), "contact_required"
                    )
                }
            )
        return attrs


class ComplaintReceiptSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Complaint
        fields = ["tracking_number", "status", "status_label", "filed_at"]


class PublicComplaintSerializer(serializers.ModelSerializer):
    """A complaint as its tracking number shows it: no complainant data, no evidence (DOMAIN §10)."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    department_name = serializers.CharField(source="department.name", default=None)

    class Meta:
        model = Complaint
        fields = [
            "tracking_number",
            "kind",
            "kind_label",
            "accused_name",
            "status",
            "status_label",
            "filed_at",
            "department_name",
            "assigned_at",
            "due_date",
            "is_due_date_provisional",
            "answer",
            "answered_at",
            "is_overdue",
        ]


class ComplaintSerializer(serializers.ModelSerializer):
    """Staff view of a complaint, with the complainant's contact (staff only)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_number",
            "kind",
            "accused_name",
            "accused_uscc",
            "facts",
            "is_anonymous",
            "contact_name",
            "contact_phone",
            "contact_email",
            "status",
            "status_label",
            "filed_at",
            "department",
            "department_name",
            "assigned_at",
            "due_date",
            "is_due_date_provisional",
            "answer",
            "answered_at",
            "is_overdue",
            "evidence",
        ]
        read_only_fields = fields

    def get_evidence(self, complaint) -> list[str]:
        return [item.file.name.rsplit("/", 1)[-1] for item in complaint.evidence.all()]


class AssignComplaintSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.active())


class AnswerComplaintSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class RejectComplaintSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CreditTalkSerializer(serializers.ModelSerializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    departments_present = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Department.objects.all(), required=False
    )

    class Meta:
        model = CreditTalk
        fields = [
            "id",
            "department",
            "department_name",
            "subject",
            "subject_name",
            "held_on",
            "attendee",
            "reason",
            "rectification",
            "rectification_deadline",
            "departments_present",
            "outcome",
            "follow_up",
            "followed_up_on",
        ]
        read_only_fields = ["department", "outcome", "follow_up", "followed_up_on"]


class FollowUpSerializer(serializers.Serializer):
    outcome = CodeOrLabelChoiceField(choices=CreditTalk._meta.get_field("outcome").choices)
    follow_up = serializers.CharField(max_length=5000)
    on = serializers.DateField()

"""Refusals of the campaigns app, each with a stable code (STYLE §2.4)."""

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError


class NotResponsible(DomainError):
    code = "not_responsible"
    default_message = _("本部门不是该事项的责任单位，不能报送进展。")


class DepartmentRequired(DomainError):
    code = "department_required"
    default_message = _("请选择承办部门。")


class AnswerRequired(DomainError):
    code = "answer_required"
    default_message = _("请填写办理结果。")


class NoComplaintPolicy(DomainError):
    code = "no_complaint_policy"
    default_message = _("尚未设置投诉办理时限，请联系平台管理员在“投诉办理时限”中设置。")


class UnknownDepartments(DomainError):
    code = "unknown_departments"

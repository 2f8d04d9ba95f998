"""Code lists of the subject registry (DOMAIN §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectCategory(models.TextChoices):
    """行政相对人类别."""

    LEGAL_ENTITY = "legal_entity", _("法人及非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    NATURAL_PERSON = "natural_person", _("自然人")


class IdType(models.TextChoices):
    """证件类型 of natural persons."""

    RESIDENT_ID = "01", _("身份证")
    PASSPORT = "02", _("护照")
    HK_MACAO_PERMIT = "03", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "04", _("台湾居民来往大陆通行证")
    FOREIGNER_PERMANENT_RESIDENCE = "05", _("外国人永久居留身份证")


class DepartmentKind(models.TextChoices):
    AGENCY = "agency", _("行政机关")
    CREDIT_OFFICE = "credit_office", _("信用主管部门")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    OTHER = "other", _("其他")

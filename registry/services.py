"""Every write of the subject registry: subjects (one by one and in bulk), ID-number reveals, departments.

Subjects are matched by their identifiers (DOMAIN §2): the unified social credit code where there is one, the
工商注册号 for individual businesses filed with the placeholder, the keyed hash of the ID number for natural persons.
Field names in errors are the API names of DOMAIN §3 (``subject_name``, ``subject_category``, ``uscc`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal import access, audit, crypto, masking
from credit_portal.db import EqualsAny
from credit_portal.errors import DomainError, PermissionDenied, ValidationFailed

from . import codes
from .choices import IdType, SubjectCategory
from .models import Department, Subject, User

# Model field → API name (DOMAIN §3), so errors name what the caller sent.
API_FIELD_NAMES = {"name": "subject_name", "category": "subject_category"}
# The older identifiers (行政相对人代码_2 … _6): kept as given, filled in when a later filing brings them.
OLDER_IDENTIFIERS = (
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
)
FIELD_LENGTHS = {
    "name": 200,
    "registration_number": 30,
    "organization_code": 20,
    "tax_registration_number": 30,
    "institution_certificate_number": 30,
    "social_org_registration_number": 30,
    "legal_representative": 100,
}
ROW_KEYS = (
    "category",
    "name",
    "uscc",
    *OLDER_IDENTIFIERS,
    "legal_representative",
    "id_type",
    "id_number",
)


class SubjectConflict(DomainError):
    """An identifier already belongs to a subject of another category."""

    code = "subject_category_conflict"


@dataclass
class SubjectInput:
    """One subject's identifiers after validation and normalisation."""

    category: str
    name: str
    uscc: str | None = None
    legal_representative: str = ""
    id_type: str = ""
    id_number: str = ""
    id_number_hash: str = ""
    region_code: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)

    @property
    def is_placeholder_business(self) -> bool:
        return self.category == SubjectCategory.INDIVIDUAL_BUSINESS and self.uscc is None

    def build(self, *, department: Department | None) -> Subject:
        subject = Subject(
            category=self.category,
            name=self.name,
            uscc=self.uscc,
            legal_representative=self.legal_representative,
            region_code=self.region_code,
            id_type=self.id_type,
            created_by_department=department,
            **self.identifiers,
        )
        if self.id_number:
            subject.id_number_encrypted = crypto.encrypt(self.id_number)
            subject.id_number_hash = self.id_number_hash
            subject.id_number_masked = masking.mask_id_number(self.id_number)
        return subject


# Values seen in departments' feeds besides the labels of our code lists.
CHOICE_ALIASES = {"居民身份证": IdType.RESIDENT_ID, "法人": SubjectCategory.LEGAL_ENTITY}


@lru_cache(maxsize=64)
def _choice_table(choices: type, language: str | None) -> dict[str, str]:
    """Code and label (in the active language) → code: built once per code list and language, not once per row."""
    table = {}
    for choice_value, label in reversed(choices.choices):  # the first match wins, as in a scan
        table[str(label)] = choice_value
        table[choice_value] = choice_value
    return table


def _choice(value: str, choices: type, *, field_name: str, code: str) -> str:
    """Accept our code or the standard's Chinese label (DOMAIN §11)."""
    text = (value or "").strip()
    alias = CHOICE_ALIASES.get(text)
    if alias is not None and alias in choices.values:
        return alias
    found = _choice_table(choices, translation.get_language()).get(text)
    if found is not None:
        return found
    raise DomainError(
        _("“%(value)s”不是有效的取值，可用：%(allowed)s。")
        % {
            "value": text,
            "allowed": pgettext("list separator", "、").join(str(label) for _value, label in choices.choices),
        },
        code=code,
        field=field_name,
    )


def parse_subject(
    *,
    category: str,
    name: str,
    uscc: str = "",
    registration_number: str = "",
    organization_code: str = "",
    tax_registration_number: str = "",
    institution_certificate_number: str = "",
    social_org_registration_number: str = "",
    legal_representative: str = "",
    id_type: str = "",
    id_number: str = "",
) -> SubjectInput:
    """Validate and normalise one subject's identifiers, or raise ValidationFailed listing every fault."""
    errors: list[DomainError] = []
    values = {
        "name": (name or "").strip(),
        "registration_number": codes.normalise(registration_number),
        "organization_code": codes.normalise(organization_code),
        "tax_registration_number": codes.normalise(tax_registration_number),
        "institution_certificate_number": (institution_certificate_number or "").strip(),
        "social_org_registration_number": (social_org_registration_number or "").strip(),
        "legal_representative": (legal_representative or "").strip(),
    }
    try:
        category = _choice(category, SubjectCategory, field_name="subject_category", code="invalid_category")
    except DomainError as error:
        raise ValidationFailed([error]) from None
    if not values["name"]:
        errors.append(DomainError(_("请填写行政相对人名称。"), code="required", field="subject_name"))
    for key, limit in FIELD_LENGTHS.items():
        if len(values[key]) > limit:
            errors.append(
                DomainError(
                    _("最多%(limit)d个字符，当前为%(length)d个。") % {"limit": limit, "length": len(values[key])},
                    code="max_length",
                    field=API_FIELD_NAMES.get(key, key),
                )
            )
    result = SubjectInput(
        category=category,
        name=values["name"],
        legal_representative=values["legal_representative"],
        identifiers={key: values[key] for key in OLDER_IDENTIFIERS},
    )
    code = codes.normalise(uscc)
    if category == SubjectCategory.NATURAL_PERSON:
        if code:
            errors.append(
                DomainError(
                    _("自然人不填统一社会信用代码，请填写证件类型和号码。"), code="uscc_not_allowed", field="uscc"
                )
            )
        try:
            result.id_type = _choice(id_type or "", IdType, field_name="id_type", code="invalid_id_type")
        except DomainError:
            if not (id_type or "").strip():
                error = DomainError(_("自然人必须填写证件类型。"), code="required", field="id_type")
            errors.append(error)
        check = codes.validate_id_number(id_number, id_type=result.id_type or IdType.RESIDENT_ID)
        errors.extend(DomainError(e.message, code=e.code, field="id_number") for e in check.errors)
        if check.valid and result.id_type:
            result.id_number = check.number
            result.id_number_hash = crypto.keyed_hash(check.number)
            if result.id_type == IdType.RESIDENT_ID:
                result.region_code = check.number[:6]
    else:
        may_use_placeholder = category == SubjectCategory.INDIVIDUAL_BUSINESS and bool(values["registration_number"])
        if not code:
            if not may_use_placeholder:
                errors.append(
                    DomainError(
                        _("请填写统一社会信用代码（无代码的个体工商户填写占位码 00000000000000000X 和工商注册号）。"),
                        code="required",
                        field="uscc",
                    )
                )
        else:
            check = codes.validate_uscc(code, allow_placeholder=may_use_placeholder)
            errors.extend(DomainError(e.message, code=e.code, field="uscc") for e in check.errors)
            if check.valid and not check.is_placeholder:
                result.uscc = check.code
                result.region_code = check.code[2:8]
        if not values["legal_representative"]:
            errors.append(
                DomainError(
                    _("法人及非法人组织、个体工商户必须填写法定代表人（负责人、经营者）。"),
                    code="required",
                    field="legal_representative",
                )
            )
        if id_type or id_number:
            errors.append(
                DomainError(_("证件类型和号码仅用于自然人。"), code="id_number_not_allowed", field="id_number")
            )
    if errors:
        raise ValidationFailed(errors)
    return result


def _conflict(subject: Subject, wanted: str) -> SubjectConflict:
    return SubjectConflict(
        _("该标识已登记为“%(existing)s”类主体“%(name)s”，不能再作为“%(wanted)s”填报。")
        % {
            "existing": SubjectCategory(subject.category).label,
            "name": subject.public_name,
            "wanted": SubjectCategory(wanted).label,
        },
        field="subject_category",
    )


def _changes(subject: Subject, data: SubjectInput) -> list[str]:
    """Apply a later filing's name, representative and missing identifiers; return the changed fields."""
    changed = []
    if data.name and subject.name != data.name:
        subject.name = data.name
        changed.append("name")
    if data.legal_representative and subject.legal_representative != data.legal_representative:
        subject.legal_representative = data.legal_representative
        changed.append("legal_representative")
    if data.uscc and not subject.uscc:  # an individual business that has since received its code
        subject.uscc = data.uscc
        changed.append("uscc")
    for key, value in data.identifiers.items():
        if value and not getattr(subject, key):
            setattr(subject, key, value)
            changed.append(key)
    if data.region_code and not subject.region_code:
        subject.region_code = data.region_code
        changed.append("region_code")
    return changed


def _find(data: SubjectInput) -> Subject | None:
    queryset = Subject.objects.select_for_update()
    if data.category == SubjectCategory.NATURAL_PERSON:
        return queryset.filter(id_type=data.id_type, id_number_hash=data.id_number_hash).first()
    if data.uscc:
        subject = queryset.filter(uscc=data.uscc).first()
        if subject is not None:
            return subject
    registration_number = data.identifiers.get("registration_number")
    if registration_number and data.category == SubjectCategory.INDIVIDUAL_BUSINESS:
        # Filed before with the placeholder: the same business, now perhaps with its code.
        return queryset.filter(
            uscc__isnull=True, registration_number=registration_number, category=data.category
        ).first()
    return None


def _validation_failed(error: ValidationError) -> ValidationFailed:
    """Model validation errors as DomainErrors named by the API's field names; constraints have no field."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    return ValidationFailed(
        [
            DomainError(
                message,
                code=item.code or "invalid",
                field=None if name == "__all__" else API_FIELD_NAMES.get(name, name),
            )
            for name, items in by_field.items()
            for item in items
            for message in item.messages
        ]
    )


def resolve_subject(
    *,
    by: User | None,
    category: str,
    name: str,
    uscc: str = "",
    registration_number: str = "",
    organization_code: str = "",
    tax_registration_number: str = "",
    institution_certificate_number: str = "",
    social_org_registration_number: str = "",
    legal_representative: str = "",
    id_type: str = "",
    id_number: str = "",
    department: Department | None = None,
) -> Subject:
    """Find the subject a filing names, or register it; a changed name or representative is updated with history.

    ``department`` (the filing department, for scoping and the code-quality report) defaults to the user's.
    """
    data = parse_subject(
        category=category,
        name=name,
        uscc=uscc,
        registration_number=registration_number,
        organization_code=organization_code,
        tax_registration_number=tax_registration_number,
        institution_certificate_number=institution_certificate_number,
        social_org_registration_number=social_org_registration_number,
        legal_representative=legal_representative,
        id_type=id_type,
        id_number=id_number,
    )
    if department is None and by is not None:
        department = getattr(by, "department", None)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _resolve_one(data, by=by, department=department)
        except IntegrityError:
            # Another filing registered the same subject meanwhile: the second attempt finds it.
            continue
    raise DomainError(_("主体登记冲突，请重试。"), code="subject_conflict")


def _resolve_one(data: SubjectInput, *, by: User | None, department: Department | None) -> Subject:
    subject = _find(data)
    if subject is None:
        subject = data.build(department=department)
        try:
            subject.full_clean(exclude=["created_by_department"])
        except ValidationError as error:
            raise _validation_failed(error) from None
        subject._history_user = by if by is not None and by.is_authenticated else None
        subject.save()
        return subject
    if subject.category != data.category:
        raise _conflict(subject, data.category)
    changed = _changes(subject, data)
    if changed:
        subject._history_user = by if by is not None and by.is_authenticated else None
        subject.save(update_fields=[*changed, "updated_at"])
    return subject


def resolve_subjects(
    *,
    by: User | None,
    rows: list[dict[str, Any]],
    department: Department | None = None,
    parsed: list[SubjectInput | None] | None = None,
) -> list[Subject | DomainError]:
    """Set-based ``resolve_subject`` for imports: one result per row, in order (a Subject or the row's error).

    Each row is a dict with resolve_subject's keywords; ``subject_name``/``subject_category`` are accepted too.
    ``parsed`` may give, per row, the row's ``parse_subject`` result already made by the caller (the import's
    validation): then it is not parsed twice. Existing subjects are found with one query per identifier kind;
    new ones are inserted with bulk_create.
    """
    if department is None and by is not None:
        department = getattr(by, "department", None)
    history_user = by if by is not None and by.is_authenticated else None
    results: list[Subject | DomainError | SubjectInput] = []
    for position, row in enumerate(rows):
        if parsed is not None and parsed[position] is not None:
            results.append(parsed[position])
            continue
        arguments = {key: str(row.get(key) or "") for key in ROW_KEYS}
        arguments["name"] = str(row.get("name") or row.get("subject_name") or "")
        arguments["category"] = str(row.get("category") or row.get("subject_category") or "")
        try:
            results.append(parse_subject(**arguments))
        except DomainError as error:
            results.append(error)
    parsed = [item for item in results if isinstance(item, SubjectInput)]
    with transaction.atomic():
        by_uscc = {
            subject.uscc: subject
            for subject in Subject.objects.filter(EqualsAny("uscc", {item.uscc for item in parsed if item.uscc}))
        }
        by_registration = {
            subject.registration_number: subject
            for subject in Subject.objects.filter(
                uscc__isnull=True,
                category=SubjectCategory.INDIVIDUAL_BUSINESS,
                registration_number__in={
                    item.identifiers["registration_number"]
                    for item in parsed
                    if item.category == SubjectCategory.INDIVIDUAL_BUSINESS and item.identifiers["registration_number"]
                },
            )
        }
        by_hash = {
            (subject.id_type, subject.id_number_hash): subject
            for subject in Subject.objects.filter(
                EqualsAny("id_number_hash", {item.id_number_hash for item in parsed if item.id_number_hash})
            )
        }
        new: list[Subject] = []
        changed: dict[int, Subject] = {}
        changed_fields: set[str] = set()
        for index, item in enumerate(results):
            if not isinstance(item, SubjectInput):
                continue
            subject = None
            if item.category == SubjectCategory.NATURAL_PERSON:
                subject = by_hash.get((item.id_type, item.id_number_hash))
            else:
                if item.uscc:
                    subject = by_uscc.get(item.uscc)
                if subject is None and item.category == SubjectCategory.INDIVIDUAL_BUSINESS:
                    subject = by_registration.get(item.identifiers["registration_number"] or None)
            if subject is None:
                subject = item.build(department=department)
                new.append(subject)
                # Later rows of the same file naming the same subject resolve to this one.
                if item.category == SubjectCategory.NATURAL_PERSON:
                    by_hash[(item.id_type, item.id_number_hash)] = subject
                elif item.uscc:
                    by_uscc[item.uscc] = subject
                else:
                    by_registration[item.identifiers["registration_number"]] = subject
            elif subject.category != item.category:
                results[index] = _conflict(subject, item.category)
                continue
            else:
                if subject.uscc is None and item.uscc:
                    by_uscc[item.uscc] = subject
                fields_changed = _changes(subject, item)
                if fields_changed and subject.pk:
                    changed[subject.pk] = subject
                    changed_fields.update(fields_changed)
            results[index] = subject
        if new:
            bulk_create_with_history(new, Subject, batch_size=1000, default_user=history_user)
        if changed:
            bulk_update_with_history(
                list(changed.values()),
                Subject,
                [*sorted(changed_fields), "updated_at"],
                batch_size=1000,
                default_user=history_user,
            )
    if new and any(subject.pk is None for subject in new):  # backends that do not return ids from bulk inserts
        _refetch(results)
    return results  # type: ignore[return-value]


def _refetch(results: list) -> None:
    usccs = {item.uscc for item in results if isinstance(item, Subject) and item.pk is None and item.uscc}
    hashes = {item.id_number_hash for item in results if isinstance(item, Subject) and item.pk is None}
    found = {s.uscc: s for s in Subject.objects.filter(uscc__in=usccs)}
    found.update({s.id_number_hash: s for s in Subject.objects.filter(id_number_hash__in=hashes - {""})})
    for index, item in enumerate(results):
        if isinstance(item, Subject) and item.pk is None:
            results[index] = found.get(item.uscc or item.id_number_hash) or Subject.objects.get(
                uscc__isnull=True, registration_number=item.registration_number
            )


def may_reveal_id_number(*, user, subject: Subject) -> bool:
    """The credit office and administrators; clerks for the subjects their department filed (DOMAIN §10)."""
    if not access.is_staff_member(user):
        return False
    if user.has_perm("registry.reveal_id_number"):
        return True
    return (
        access.is_clerk(user) and bool(user.department_id) and subject.created_by_department_id == user.department_id
    )


def reveal_id_number(*, subject: Subject, by: User, reason: str, request=None) -> str:
    """The clear ID number for staff whose role needs it; each view is logged with its reason (DOMAIN §10)."""
    if not subject.is_natural_person or not subject.id_number_encrypted:
        raise DomainError(_("该主体没有证件号码。"), code="no_id_number")
    if not may_reveal_id_number(user=by, subject=subject):
        raise PermissionDenied(_("您无权查看完整证件号码。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明查看完整证件号码的事由。"), code="reason_required", field="reason")
    if len(reason) > 200:
        raise DomainError(_("事由最多200个字符。"), code="max_length", field="reason")
    with transaction.atomic():
        audit.record(subject, action="id_number_revealed", by=by, detail={"reason": reason}, request=request)
    return subject.reveal_id_number()


def _save_department(department: Department) -> Department:
    try:
        department.full_clean()
    except ValidationError as error:
        raise _validation_failed(error) from None
    department.save()
    return department


@transaction.atomic
def create_department(
    *, by: User | None, name: str, uscc: str, region_code: str = "", short_name: str = "", kind: str = ""
) -> Department:
    """Register a department; its code must pass every GB 32100 check (DOMAIN §2)."""
    if by is not None:
        access.require_role(by, access.Role.ADMIN)
    code = codes.normalise(uscc)
    department = Department(
        name=name.strip(), short_name=short_name.strip(), uscc=code, region_code=region_code or code[2:8]
    )
    if kind:
        department.kind = kind
    department = _save_department(department)
    audit.record(department, action="created", by=by)
    return department


@transaction.atomic
def update_department(*, department: Department, by: User | None, **changes: Any) -> Department:
    """Change a department's name, code, kind or status."""
    if by is not None:
        access.require_role(by, access.Role.ADMIN)
    department = Department.objects.select_for_update().get(pk=department.pk)
    allowed = {"name", "short_name", "uscc", "region_code", "kind", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        fields = pgettext("list separator", "、").join(sorted(unknown))
        raise DomainError(_("不能修改这些字段：%(fields)s。") % {"fields": fields}, code="invalid")
    for key, value in changes.items():
        setattr(department, key, codes.normalise(value) if key == "uscc" else value)
    department = _save_department(department)
    audit.record(department, action="updated", by=by, detail={"fields": sorted(changes)})
    return department


EDITABLE_SUBJECT_FIELDS = ("name", "uscc", *OLDER_IDENTIFIERS, "legal_representative")


@transaction.atomic
def update_subject(*, subject: Subject, by: User, **changes: str) -> Subject:
    """Correct a subject's name, code, identifiers or representative; the history keeps the old values."""
    subject = Subject.objects.visible_to(by).select_for_update().get(pk=subject.pk)
    unknown = set(changes) - set(EDITABLE_SUBJECT_FIELDS)
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(fields)s。") % {"fields": pgettext("list separator", "、").join(sorted(unknown))},
            code="not_editable",
        )
    current = {
        "category": subject.category,
        "name": subject.name,
        "uscc": subject.uscc or ("" if subject.is_natural_person else codes.PLACEHOLDER),
        "legal_representative": subject.legal_representative,
        **{key: getattr(subject, key) for key in OLDER_IDENTIFIERS},
    }
    if subject.is_natural_person:
        current.update(id_type=subject.id_type, id_number=subject.reveal_id_number())
    if not subject.uscc and not subject.is_natural_person and not subject.registration_number:
        current["uscc"] = ""
    data = parse_subject(**{**current, **{key: value or "" for key, value in changes.items()}})
    changed = []
    for key in ("name", "legal_representative", *OLDER_IDENTIFIERS):
        value = data.identifiers.get(key) if key in OLDER_IDENTIFIERS else getattr(data, key)
        if getattr(subject, key) != value:
            setattr(subject, key, value)
            changed.append(key)
    if not subject.is_natural_person and subject.uscc != data.uscc:
        subject.uscc = data.uscc
        subject.region_code = data.region_code or subject.region_code
        changed += ["uscc", "region_code"]
    if changed:
        try:
            subject.full_clean(exclude=["created_by_department"])
        except ValidationError as error:
            raise _validation_failed(error) from None
        subject._history_user = by
        subject.save(update_fields=[*changed, "updated_at"])
    return subject


@transaction.atomic
def save_staff_account(
    *, username: str, role: str, department: Department | None = None, password: str | None = None
) -> User:
    """Create or update a staff account with exactly one role; a clerk must belong to a department (DOMAIN §1)."""
    from django.contrib.auth.models import Group

    if role not in access.Role.values:
        raise DomainError(
            _("未知角色“%(role)s”，可用：clerk、reviewer、admin。") % {"role": role}, code="invalid_role", field="role"
        )
    if role == access.Role.CLERK and department is None:
        raise DomainError(_("部门填报员必须属于一个部门。"), code="department_required", field="department")
    user = User.objects.select_for_update().filter(username=username).first() or User(username=username)
    user.department = department
    user.is_staff = role == access.Role.ADMIN  # only administrators use the Django admin
    user.is_active = True
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    groups = Group.objects.filter(name__in=access.GROUP_NAMES.values())
    user.groups.remove(*groups)
    user.groups.add(Group.objects.get_or_create(name=access.GROUP_NAMES[role])[0])
    user._cached_role = role
    return user

"""Writes of managed API clients: application, approval, keys, suspension, expiry and log pruning (issue 12)."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit
from credit_portal.errors import DomainError, PermissionDenied, ValidationFailed
from credit_portal.notifications import notify_users
from registry import services as registry_services
from registry.models import Department, User

from . import keys, transitions
from .choices import DEPARTMENT_SCOPES, ClientStatus, ErrorCode, Scope
from .models import ApiCall, ApiClient, ApiKey

# DOMAIN §10: query records of non-public information are kept at least 5 years.
MIN_CALL_LOG_YEARS = 5
TERMS_FIELDS = ("scopes", "department", "ip_allowlist", "daily_quota", "valid_from", "valid_until")


def require_office(user) -> None:
    """The credit office (reviewers) and administrators decide on API clients."""
    if not access.sees_all_departments(user):
        raise PermissionDenied(_("只有信用办审核员或平台管理员可以审批和管理API客户端。"))


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes, once each, in the code list's order."""
    wanted = set(scopes or [])
    unknown = wanted - set(Scope.values)
    if unknown:
        raise DomainError(
            _("未知的接口范围：%(scopes)s。") % {"scopes": pgettext("list separator", "、").join(sorted(unknown))},
            code=ErrorCode.INVALID_SCOPE,
            field="scopes",
        )
    if not wanted:
        raise DomainError(_("请至少选择一项接口范围。"), code=ErrorCode.INVALID_SCOPE, field="scopes")
    return [scope for scope in Scope.values if scope in wanted]


def clean_allowlist(text: str) -> str:
    """One normalised network per line; refuses a line that is no address or CIDR, naming it."""
    networks = []
    for number, line in enumerate((text or "").replace(",", "\n").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            networks.append(str(ipaddress.ip_network(line, strict=False)))
        except ValueError:
            raise DomainError(
                _("IP白名单第 %(line)s 行“%(value)s”不是有效的地址或地址段（如 10.1.2.0/24）。")
                % {"line": number, "value": line},
                code=ErrorCode.INVALID_NETWORK,
                field="ip_allowlist",
            ) from None
    return "\n".join(networks)


def _check_department(scopes: list[str], department: Department | None) -> None:
    if department is None and DEPARTMENT_SCOPES & set(scopes):
        raise DomainError(
            _("“部门数据报送”和“信用核查”须指定所属部门：客户端将以该部门填报员的身份调用。"),
            code=ErrorCode.DEPARTMENT_REQUIRED,
            field="department",
        )


# A table constraint's refusal names no field; these belong to the field the person must change.
CONSTRAINT_FIELDS = {ErrorCode.INVALID_WINDOW: "valid_until"}


def _full_clean(client: ApiClient) -> None:
    try:
        client.full_clean(exclude=["service_user", "approved_by", "applied_by"])
    except ValidationError as error:
        raise ValidationFailed(
            [
                DomainError(
                    message,
                    code=item.code or "invalid",
                    field=CONSTRAINT_FIELDS.get(item.code) if name == "__all__" else name,
                )
                for name, items in error.error_dict.items()
                for item in items
                for message in item.messages
            ]
        ) from None


@transaction.atomic
def apply_for_client(
    *,
    name: str,
    organisation: str,
    kind: str,
    contact_name: str,
    contact_phone: str,
    owner_email: str,
    scopes: Iterable[str],
    department: Department | None = None,
    ip_allowlist: str = "",
    purpose: str = "",
    by: User | None = None,
    request=None,
) -> ApiClient:
    """File an application for API access; the credit office approves it (issue 12). Staff may apply for others."""
    scopes = clean_scopes(scopes)
    _check_department(scopes, department)
    client = ApiClient(
        name=name,
        organisation=organisation,
        kind=kind,
        contact_name=contact_name,
        contact_phone=contact_phone,
        owner_email=owner_email,
        scopes=scopes,
        department=department,
        ip_allowlist=clean_allowlist(ip_allowlist),
        purpose=purpose,
        applied_by=by if by is not None and by.is_authenticated else None,
    )
    _full_clean(client)
    client.save()
    audit.record(client, action="api_client_applied", by=by, request=request)
    office = User.objects.filter(groups__name=access.GROUP_NAMES[access.Role.REVIEWER], is_active=True)
    transaction.on_commit(
        lambda: notify_users(
            office.values_list("pk", flat=True),
            kind="api_client_applied",
            message=_("新的API接入申请：%(client)s") % {"client": client},
            link=reverse("clients-staff-detail", args=[client.pk]),
            dedupe_key=f"api-client-applied:{client.pk}",
        )
    )
    return client


def _sync_service_user(client: ApiClient) -> User:
    """Create or update the client's service account: a clerk of its department for department scopes, else the
    "api_client" role; no password, so it never signs in to the pages."""
    username = f"api-client-{client.pk}"
    wants_clerk = bool(DEPARTMENT_SCOPES & set(client.scopes)) and client.department_id
    role = access.Role.CLERK if wants_clerk else access.Role.API_CLIENT
    user = registry_services.save_staff_account(
        username=username, role=role, department=client.department if wants_clerk else None
    )
    changes = {"email": client.owner_email, "first_name": client.name[:150]}
    if any(getattr(user, field) != value for field, value in changes.items()) or user.has_usable_password():
        for field, value in changes.items():
            setattr(user, field, value)
        user.set_unusable_password()
        user.save(update_fields=[*changes, "password"])
    return user


def _mail_owner(client: ApiClient, *, reason: str = "") -> None:
    """Tell the owner of a client its new status by e-mail after the commit, in Chinese. Never the key: the office
    hands it over by a safe channel (it is shown once, on the approval or rotation page)."""
    if not client.owner_email:
        return
    values = {
        "portal": settings.PORTAL_NAME,
        "name": client.name,
        "status": ClientStatus(client.status).label,
        "reason": reason,
    }
    subject = gettext("【%(portal)s】API接入“%(name)s”：%(status)s") % values
    lines = [gettext("贵单位申请的API接入“%(name)s”当前状态：%(status)s。") % values]
    if reason:
        lines.append(gettext("说明：%(reason)s") % values)
    if client.status == ClientStatus.APPROVED:
        lines.append(
            gettext("有效期：%(start)s 至 %(end)s；每日调用上限 %(quota)s 次。")
            % {
                "start": client.valid_from.isoformat() if client.valid_from else "—",
                "end": client.valid_until.isoformat() if client.valid_until else gettext("长期"),
                "quota": client.daily_quota,
            }
        )
        lines.append(gettext("接口密钥由信用办通过安全渠道另行交付，平台不会通过邮件发送密钥。"))
    transaction.on_commit(
        partial(send_mail, str(subject), "\n".join(str(line) for line in lines), None, [client.owner_email])
    )


@transaction.atomic
def approve_client(
    *,
    client: ApiClient,
    by: User,
    daily_quota: int | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    note: str = "",
    request=None,
) -> tuple[ApiClient, str]:
    """Approve an application (or renew an expired client), set its quota and validity, create its service
    account and issue its first key; returns the client and the key, which is shown this once only."""
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    transitions.move(client, ClientStatus.APPROVED)
    client.daily_quota = daily_quota if daily_quota is not None else client.daily_quota
    if client.daily_quota is None:
        client.daily_quota = settings.CLIENTS_DEFAULT_DAILY_QUOTA
    client.valid_from = valid_from or client.valid_from or timezone.localdate()
    client.valid_until = valid_until or client.valid_until
    if client.valid_until and client.valid_until < timezone.localdate():
        raise DomainError(_("有效期止不能早于今天。"), code=ErrorCode.INVALID_WINDOW, field="valid_until")
    # As on application: the service account of a department scope is a clerk of the client's department.
    _check_department(client.scopes, client.department)
    client.approved_by = by
    client.approved_at = timezone.now()
    client.review_note = note or client.review_note
    _full_clean(client)
    client.save()
    client.service_user = _sync_service_user(client)
    client.save(update_fields=["service_user", "updated_at"])
    audit.record(client, action="api_client_approved", by=by, request=request, detail={"quota": client.daily_quota})
    _mail_owner(client, reason=note)
    raw_key = None
    if not client.keys.usable(now=timezone.now()).exists():
        _key, raw_key = _issue(client=client, by=by)
    return client, raw_key or ""


@transaction.atomic
def reject_client(*, client: ApiClient, by: User, reason: str, request=None) -> ApiClient:
    """Refuse an application, with the reason the applicant is told."""
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    transitions.move(client, ClientStatus.REJECTED)
    client.review_note = reason
    client.save(update_fields=["status", "review_note", "updated_at"])
    audit.record(client, action="api_client_rejected", by=by, request=request, detail={"reason": reason})
    _mail_owner(client, reason=reason)
    return client


@transaction.atomic
def suspend_client(*, client: ApiClient, by: User, reason: str, request=None) -> ApiClient:
    """Stop a client at once (its keys answer 403 until it is reinstated)."""
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    transitions.move(client, ClientStatus.SUSPENDED)
    client.review_note = reason
    client.save(update_fields=["status", "review_note", "updated_at"])
    audit.record(client, action="api_client_suspended", by=by, request=request, detail={"reason": reason})
    _mail_owner(client, reason=reason)
    return client


@transaction.atomic
def reinstate_client(*, client: ApiClient, by: User, request=None) -> ApiClient:
    """Lift a suspension; the client's keys work again."""
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.status != ClientStatus.SUSPENDED:
        raise DomainError(_("只有已暂停的API客户端可以恢复。"), code="transition_not_allowed")
    transitions.move(client, ClientStatus.APPROVED)
    client.save(update_fields=["status", "updated_at"])
    audit.record(client, action="api_client_reinstated", by=by, request=request)
    _mail_owner(client)
    return client


@transaction.atomic
def change_client_terms(*, client: ApiClient, by: User, request=None, **changes) -> ApiClient:
    """Change scopes, department, allowlist, quota or validity; the service account follows the new scopes."""
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    unknown = set(changes) - set(TERMS_FIELDS)
    if unknown:
        raise DomainError(_("这些字段不能在此修改：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "scopes" in changes:
        changes["scopes"] = clean_scopes(changes["scopes"])
    if "ip_allowlist" in changes:
        changes["ip_allowlist"] = clean_allowlist(changes["ip_allowlist"])
    for field, value in changes.items():
        setattr(client, field, value)
    _check_department(client.scopes, client.department)
    _full_clean(client)
    client.save()
    if client.service_user_id:
        _sync_service_user(client)
    audit.record(client, action="api_client_terms_changed", by=by, request=request, detail={"fields": sorted(changes)})
    return client


def _issue(*, client: ApiClient, by: User | None) -> tuple[ApiKey, str]:
    raw, prefix, digest = keys.generate()
    key = ApiKey.objects.create(client=client, prefix=prefix, key_hash=digest, created_by=by)
    return key, raw


@transaction.atomic
def rotate_key(*, client: ApiClient, by: User, grace_hours: int | None = None, request=None) -> tuple[ApiKey, str]:
    """Issue a new key; the keys in use keep working for the grace period (rotation without downtime).

    The new key is returned with the row, to be shown once; only its digest is stored.
    """
    require_office(by)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.status != ClientStatus.APPROVED:
        raise DomainError(_("只有已批准的API客户端可以签发新密钥。"), code="transition_not_allowed")
    now = timezone.now()
    hours = settings.CLIENTS_KEY_GRACE_HOURS if grace_hours is None else grace_hours
    deadline = now + datetime.timedelta(hours=hours)
    # Keys already given a deadline keep the earlier one.
    old = client.keys.usable(now=now)
    old.filter(expires_at__isnull=True).update(expires_at=deadline)
    old.filter(expires_at__gt=deadline).update(expires_at=deadline)
    key, raw = _issue(client=client, by=by)
    audit.record(
        client, action="api_key_rotated", by=by, request=request, detail={"prefix": key.prefix, "grace_hours": hours}
    )
    return key, raw


@transaction.atomic
def revoke_key(*, key: ApiKey, by: User, request=None) -> ApiKey:
    """Stop one key at once (a leaked key, or the old key once the new one is in place)."""
    require_office(by)
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(key.client, action="api_key_revoked", by=by, request=request, detail={"prefix": key.prefix})
    return key


def expire_clients(*, today: datetime.date) -> int:
    """Mark approved or suspended clients whose validity ended before today as expired (set-based)."""
    due = ApiClient.objects.filter(
        status__in=[ClientStatus.APPROVED, ClientStatus.SUSPENDED], valid_until__lt=today
    ).values_list("pk", flat=True)
    with transaction.atomic():
        ids = list(due)
        if not ids:
            return 0
        ApiClient.objects.filter(pk__in=ids).update(status=ClientStatus.EXPIRED, updated_at=timezone.now())
        audit.record_many(ApiClient, ids, action="api_client_expired")
        for client in ApiClient.objects.filter(pk__in=ids).only("pk", "name", "owner_email", "status"):
            _mail_owner(client, reason=gettext("有效期已满，如需继续使用请重新申请。"))
    return len(ids)


def prune_call_logs(*, now: datetime.datetime, public_days: int | None = None, batch_size: int = 10_000) -> dict:
    """Delete public-data call logs older than CLIENTS_PUBLIC_CALL_LOG_DAYS and other call logs older than
    CLIENTS_CALL_LOG_YEARS, never under 5 years (DOMAIN §10: query records of non-public data); in batches."""
    public_days = settings.CLIENTS_PUBLIC_CALL_LOG_DAYS if public_days is None else public_days
    years = max(MIN_CALL_LOG_YEARS, settings.CLIENTS_CALL_LOG_YEARS)
    local = timezone.localtime(now)
    try:
        restricted_cutoff = local.replace(year=local.year - years)
    except ValueError:  # 29 February
        restricted_cutoff = local.replace(year=local.year - years, day=28)
    cutoffs = {
        "public": (ApiCall.objects.filter(is_public=True, at__lt=now - datetime.timedelta(days=public_days))),
        "restricted": ApiCall.objects.filter(is_public=False, at__lt=restricted_cutoff),
    }
    deleted = {}
    for name, queryset in cutoffs.items():
        total = 0
        while True:
            ids = list(queryset.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            total += ApiCall.objects.filter(pk__in=ids).delete()[0]
        deleted[name] = total
    return deleted

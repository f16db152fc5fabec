"""Self-registration of a 人才用户: a code sent to the phone or e-mail they give (the proof that it is
theirs), then the account, the profile and the consent made together once the code, the consent and
a password are given. Starting a registration is throttled per client address and per contact, on
the sign-in throttle's counters (`core.signin`: the same table, the same growing wait).

No personal data enters the audit log: the entries name the account and the profile by number."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.core.roles import Role
from yuanqu.core.signin import login_delayed_until, login_failure_record
from yuanqu.notifications import webhook
from yuanqu.talent import crypto
from yuanqu.talent.config import config
from yuanqu.talent.models import Consent, Profile, Verification
from yuanqu.talent.services.common import clean_text

CONTACT_INVALID = gettext_noop("请填写有效的手机号（11位）或电子邮箱")
THROTTLED = gettext_noop("注册请求过于频繁，请于 %(time)s 之后再试")
CODE_WRONG = gettext_noop("验证码不正确或已失效，请重新获取")
CONSENT_REQUIRED = gettext_noop("须阅读并同意《个人信息处理告知书》后才能注册")
CONSENT_STALE = gettext_noop("《个人信息处理告知书》已更新，请重新阅读并同意")
ALREADY_REGISTERED = gettext_noop("该手机号或邮箱已注册，请直接登录")
NO_SMS_GATEWAY = gettext_noop("平台未配置短信通道，请使用电子邮箱注册")
CODE_TEXT = "【人才直通车】您的注册验证码为 {code}，{minutes} 分钟内有效。如非本人操作，请忽略。"
DETAIL_REGISTERED = "人才用户自助注册并同意个人信息处理（告知书版本 {version}）"
DETAIL_CODE_SENT = "人才注册验证码已发送"
DETAIL_THROTTLED = "人才注册请求过于频繁，暂停至 {time}"

MAX_CODE_ATTEMPTS = 5
logger = logging.getLogger(__name__)
THROTTLE_PREFIX = "talent-register:"
# The name the throttle's audit entries carry (never the contact being registered).
THROTTLE_NAME = "人才用户自助注册"


@dataclass(frozen=True, slots=True)
class Started:
    verification: Verification
    code: str  # handed to the delivery only; tests read it here


def _code_digest(code: str) -> str:
    return crypto.digest(f"code:{code}")


def _throttle(*, address: str | None, contact_digest: str, now: dt.datetime) -> None:
    """Refuse while the address's or the contact's counter is waiting; otherwise count this start on
    the sign-in throttle's counters (`core.signin.login_failure_record`: past the limit a wait starts,
    doubling with each further start, and each wait started is audited). Committed on its own, so
    that a refusal later in the registration still counts."""
    counters = [(f"{THROTTLE_PREFIX}contact:{contact_digest}", settings.TALENT_REGISTER_CONTACT_LIMIT)]
    if address:
        counters.append((f"{THROTTLE_PREFIX}addr:{address}", settings.TALENT_REGISTER_ADDRESS_LIMIT))
    with transaction.atomic():
        until = login_delayed_until(keys=[key for key, _ in counters], now=now)
        if until is not None:
            shown = timezone.localtime(until).strftime("%Y-%m-%d %H:%M:%S")
            audit_record(
                actor=None,
                action=AuditLog.Action.LOGIN,
                object_type="talent.Verification",
                detail=DETAIL_THROTTLED.format(time=shown),
            )
        else:
            login_failure_record(counters=counters, username=THROTTLE_NAME, now=now)
    if until is not None:
        raise RegistrationThrottled(_(THROTTLED) % {"time": shown})


class RegistrationThrottled(ValidationError):
    """Too many registrations from one address or for one contact (429 on the page)."""


def _deliver(contact: str, code: str) -> None:
    """Hand the code to the mail server or the SMS gateway, after commit; a channel that fails is
    logged (never with the contact) and the person asks for a new code."""
    try:
        _send(contact, code)
    except (OSError, webhook.WebhookError):
        logger.warning("talent registration code could not be delivered", exc_info=True)


def _send(contact: str, code: str) -> None:
    text = CODE_TEXT.format(code=code, minutes=settings.TALENT_CODE_MINUTES)
    if "@" in contact:
        send_mail("人才直通车注册验证码", text, settings.DEFAULT_FROM_EMAIL, [contact])
        return
    body = webhook.encode({"kind": "talent_register_code", "to": contact, "text": text})
    webhook.post(
        url=settings.NOTIFY_WEBHOOK_URL,
        secret=settings.NOTIFY_WEBHOOK_SECRET,
        body=body,
        timestamp=int(dt.datetime.now(tz=dt.UTC).timestamp()),
        delivery_id=0,
        timeout=settings.NOTIFY_WEBHOOK_TIMEOUT_SECONDS,
    )


def registration_start(*, contact: str, address: str | None, now: dt.datetime) -> Started:
    """Send a code to the contact; the registration waits for it (TALENT_CODE_MINUTES)."""
    normal = crypto.normalise_contact(contact)
    if normal is None:
        raise ValidationError({"contact": _(CONTACT_INVALID)})
    if "@" not in normal and not settings.NOTIFY_WEBHOOK_URL:
        raise ValidationError({"contact": _(NO_SMS_GATEWAY)})
    digest = crypto.digest(normal)
    _throttle(address=address, contact_digest=digest, now=now)
    return _verification_create(normal=normal, digest=digest, now=now)


@transaction.atomic
def _verification_create(*, normal: str, digest: str, now: dt.datetime) -> Started:
    Verification.objects.filter(expires_at__lt=now).delete()
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification = Verification.objects.create(
        contact_cipher=crypto.encrypt(normal),
        contact_digest=digest,
        code_digest=_code_digest(code),
        expires_at=now + dt.timedelta(minutes=settings.TALENT_CODE_MINUTES),
        created_at=now,
    )
    audit_record(actor=None, action=AuditLog.Action.CREATE, obj=verification, detail=DETAIL_CODE_SENT)
    transaction.on_commit(lambda: _deliver(normal, code))
    return Started(verification, code)


def _new_username() -> str:
    while True:
        name = f"rc{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username=name).exists():
            return name


def registration_confirm(
    *,
    verification_id: int,
    code: str,
    name: str,
    password: str,
    consent_version: str,
    consented: bool,
    now: dt.datetime,
) -> User:
    """Check the code, then make the account (`_account_create`). Not one transaction on purpose: a
    wrong code must be counted even though the refusal changes nothing else."""
    verification = Verification.objects.filter(pk=verification_id, expires_at__gte=now).first()
    if verification is None or verification.attempts >= MAX_CODE_ATTEMPTS:
        raise ValidationError({"code": _(CODE_WRONG)})
    if not hmac.compare_digest(verification.code_digest, _code_digest((code or "").strip())):
        Verification.objects.filter(pk=verification.pk).update(attempts=F("attempts") + 1)
        raise ValidationError({"code": _(CODE_WRONG)})
    return _account_create(
        verification_id=verification.pk,
        name=name,
        password=password,
        consent_version=consent_version,
        consented=consented,
        now=now,
    )


def consent_build(*, user: User, now: dt.datetime) -> Consent:
    """The consent a person gives at registration (unsaved): the current notice's version, purpose,
    recipients and retention (with the retention days of the settings), given at `now`. The one
    place a Consent is made; the demo's synthetic people get theirs here too."""
    notice = config().consent
    return Consent(
        user=user,
        version=notice.version,
        purpose=notice.purpose,
        recipients=notice.recipients,
        retention=notice.retention.format(days=settings.TALENT_RETENTION_DAYS),
        given_at=now,
    )


@transaction.atomic
def _account_create(
    *, verification_id: int, name: str, password: str, consent_version: str, consented: bool, now: dt.datetime
) -> User:
    """The account (role 人才用户, a login name of the platform's making: never the phone or e-mail,
    so that nothing personal is in the audit log's actor column), the profile (seen by no firm until
    its owner says otherwise) and the consent with the notice's version and text as shown."""
    verification = Verification.objects.select_for_update().filter(pk=verification_id).first()
    if verification is None:
        raise ValidationError({"code": _(CODE_WRONG)})
    notice = config().consent
    if not consented:
        raise ValidationError({"consent": _(CONSENT_REQUIRED)})
    if consent_version != notice.version:
        raise ValidationError({"consent": _(CONSENT_STALE)})
    if Profile.objects.filter(contact_digest=verification.contact_digest).exists():
        raise ValidationError({"contact": _(ALREADY_REGISTERED)})
    clean_name = clean_text(name, field="name", label="姓名", limit=40)
    user = User(username=_new_username(), role=Role.TALENT, display_name="")
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    profile = Profile.objects.create(
        user=user,
        name=clean_name,
        contact_cipher=verification.contact_cipher,
        contact_digest=verification.contact_digest,
        created_at=now,
        updated_at=now,
    )
    consent = consent_build(user=user, now=now)
    consent.save()
    # The address the code was asked from is the person's: it goes with the code (their own entries
    # keep theirs until the account is deleted, `personal._erase`).
    AuditLog.objects.filter(object_type="talent.Verification", object_id=str(verification.pk)).update(ip_address=None)
    verification.delete()
    detail = DETAIL_REGISTERED.format(version=notice.version)
    audit_record(actor=user, action=AuditLog.Action.CREATE, obj=user, after={"role": Role.TALENT}, detail=detail)
    audit_record(actor=user, action=AuditLog.Action.CREATE, obj=profile, after={"visibility": profile.visibility})
    audit_record(
        actor=user,
        action=AuditLog.Action.CREATE,
        obj=consent,
        after={"version": consent.version, "given_at": now},
        detail=detail,
    )
    return user

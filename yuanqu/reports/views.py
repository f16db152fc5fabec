"""Report downloads: the city's quarterly progress report and a park's 一园一档 diagnosis report
(.docx). Each download is audited as an export; a park outside the user's scope answers 404, exactly
as its profile does."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.audit import audit_record
from yuanqu.core.docx import DOCX_MIME
from yuanqu.core.models import AuditLog, User
from yuanqu.dashboard.selectors import may_read
from yuanqu.registry.models import Park
from yuanqu.reports import charts, documents
from yuanqu.targets.models import quarter_label


def _reader(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not may_read(user):
        raise PermissionDenied("报告仅对市、区和园区用户开放")
    return user


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _unavailable(exc: charts.ChartFontMissing) -> HttpResponse:
    return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def city_quarterly(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    try:
        quarter = documents.parse_quarter(request.GET.get("quarter", ""))
    except ValueError as exc:
        raise Http404("季度格式应为 2026Q3") from exc
    try:
        content = documents.city_quarterly_docx(user, quarter)
    except charts.ChartFontMissing as exc:
        return _unavailable(exc)
    name = f"武汉市工业园区{quarter_label(quarter)}进展报告.docx"
    audit_record(
        actor=user,
        action=AuditLog.Action.EXPORT,
        object_type="reports.CityQuarterly",
        object_id=f"{quarter:%Y-%m}",
        object_repr=name,
        detail=f"季度进展报告 {quarter_label(quarter)}",
    )
    return _docx(content, name)


@login_required
@require_GET
def park_report(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    park = get_visible_or_404(Park.objects.select_related("district"), user, code=code)
    try:
        content = documents.park_report_docx(user, park)
    except charts.ChartFontMissing as exc:
        return _unavailable(exc)
    name = f"{park.name}一园一档诊断报告.docx"
    audit_record(
        actor=user,
        action=AuditLog.Action.EXPORT,
        obj=park,
        object_repr=name,
        detail=f"一园一档诊断报告 {park.code}",
    )
    return _docx(content, name)

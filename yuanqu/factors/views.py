"""要素保障 pages: the land supply register with the 弹性供地 share per district and year, the
start-price compliance and the record form. Thin: read through the selectors (`visible_to`), write
through `actions` (the services); 403 for a role that has no part here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuanqu.core.models import User
from yuanqu.factors import actions, forms, selectors, services
from yuanqu.factors.access import NO_ACCESS, check_reader
from yuanqu.factors.config import config
from yuanqu.factors.models import SupplyMethod


def _reader(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return check_reader(request.user)


def _may_record(user: User) -> bool:
    return user.role in services.LAND_WRITER_ROLES or user.is_superuser


@login_required
def land(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    rows = selectors.land_supplies(user)
    if request.GET.get("flagged") == "1":
        rows = rows.filter(below_floor=True)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    rules = config().land
    return render(
        request,
        "factors/land.html",
        {
            "page": page,
            "shares": selectors.flexible_shares(user),
            "methods": selectors.by_method(user),
            "compliance": selectors.price_compliance(user),
            "by_stage": selectors.by_project_stage(user),
            "rules": rules,
            "floor_percent": rules.start_price_floor * 100,
            "may_record": _may_record(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def land_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not _may_record(user):
        raise PermissionDenied(_(NO_ACCESS))
    errors: list[str] = []
    if request.method == "POST":
        form = forms.LandSupplyForm(request.POST)
        if not form.is_valid():
            errors = form.error_messages()
        else:
            assert form.schema is not None
            try:
                actions.land_supply(actor=user, data=form.schema.model_validate(form.schema_data()))
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                messages.success(request, _("供地记录已登记"))
                return redirect("factors:land")
    return render(
        request,
        "factors/land_new.html",
        {"errors": errors, "form": request.POST, "methods": SupplyMethod.choices, "rules": config().land},
    )

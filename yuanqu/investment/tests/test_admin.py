"""Projects are read-only on the admin site (every change goes through the services and their audit
entries); a claim conflict cannot be added or changed there either."""

from __future__ import annotations

from django.contrib import admin
from django.test import RequestFactory

from yuanqu.investment.models import ClaimConflict, Project


def test_it_shows_projects_without_adding_changing_or_deleting() -> None:
    request = RequestFactory().get("/admin/investment/project/")
    screen = admin.site._registry[Project]
    assert not screen.has_add_permission(request)
    assert not screen.has_change_permission(request)
    assert not screen.has_delete_permission(request)


def test_it_shows_claim_conflicts_without_adding_or_changing() -> None:
    request = RequestFactory().get("/admin/investment/claimconflict/")
    screen = admin.site._registry[ClaimConflict]
    assert not screen.has_add_permission(request)
    assert not screen.has_change_permission(request)

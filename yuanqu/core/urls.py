from __future__ import annotations

from django.urls import path

from yuanqu.core import views

app_name = "core"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("workbench/", views.workbench, name="workbench"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("audit/", views.audit_log, name="audit_log"),
]

from __future__ import annotations

from django.urls import path

from yuanqu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.preferences, name="preferences"),
    path("failed/", views.dead_letters, name="dead_letters"),
]

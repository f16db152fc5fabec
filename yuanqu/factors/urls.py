from __future__ import annotations

from django.urls import path

from yuanqu.factors import views

app_name = "factors"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("land/", views.land, name="land"),
    path("land/new/", views.land_new, name="land_new"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.minutes_upload, name="minutes_upload"),
    path("minutes/<int:pk>/", views.minutes_download, name="minutes"),
]

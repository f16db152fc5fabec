from __future__ import annotations

from django.urls import path

from yuanqu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("export.xlsx", views.cockpit_export, name="cockpit_export"),
    path("parks/<str:code>/", views.park_profile, name="park_profile"),
    path("parks/<str:code>/export.xlsx", views.park_export, name="park_export"),
    path("districts/<str:code>/", views.district_profile, name="district_profile"),
    path("districts/<str:code>/export.xlsx", views.district_export, name="district_export"),
]

from __future__ import annotations

from django.urls import path

from yuanqu.energy import views

app_name = "energy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("parks/<str:code>/", views.park, name="park"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path("recompute/", views.recompute, name="recompute"),
]

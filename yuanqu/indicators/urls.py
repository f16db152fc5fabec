from __future__ import annotations

from django.urls import path

from yuanqu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/units/", views.units, name="units"),
    path("<str:code>/report/", views.report, name="report"),
]

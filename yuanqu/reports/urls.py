from __future__ import annotations

from django.urls import path

from yuanqu.reports import views

app_name = "reports"
urlpatterns = [
    path("city-quarterly.docx", views.city_quarterly, name="city_quarterly"),
    path("parks/<str:code>/diagnosis.docx", views.park_report, name="park_report"),
    path("files/<int:pk>/", views.report_file, name="file"),
]

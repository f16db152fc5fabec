from __future__ import annotations

from django.urls import path

from yuanqu.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/compare/", views.compare, name="compare"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/delete/", views.run_delete, name="run_delete"),
    path("runs/<int:pk>/ranking.xlsx", views.run_export, name="run_export"),
    path("runs/<int:pk>/selection/", views.selection, name="selection"),
    path("runs/<int:pk>/selection/confirm/", views.selection_confirm, name="selection_confirm"),
    path("runs/<int:pk>/parks/<str:park>/", views.diagnosis, name="diagnosis"),
    path("runs/<int:pk>/parks/<str:park>/report.docx", views.diagnosis_docx, name="diagnosis_docx"),
    path("diagnosis-files/<int:job>/", views.diagnosis_file, name="diagnosis_file"),
    path("index-systems/", views.index_systems, name="index_systems"),
    path("grades/", views.grades, name="grades"),
    path("grades/compute/", views.grades_compute, name="grades_compute"),
    path("grades/export.xlsx", views.grades_export, name="grades_export"),
]

from __future__ import annotations

from django.urls import path

from yuanqu.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="batch_report"),
    path("batches/<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
]

from __future__ import annotations

from django.urls import path

from yuanqu.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.board, name="board"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<str:code>/", views.task_detail, name="task"),
    path("tasks/<str:code>/report/", views.task_report, name="task_report"),
    path("tasks/<str:code>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<str:code>/press/", views.task_press, name="task_press"),
    path("tasks/<str:code>/status/", views.task_status, name="task_status"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/", views.detail, name="detail"),
]

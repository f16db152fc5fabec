from __future__ import annotations

from django.urls import path

from yuanqu.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("mine/", views.portal, name="portal"),
    path("queue/", views.queue, name="queue"),
    path("board/", views.board, name="board"),
    path("new/", views.case_new, name="case_new"),
    path("new/fields/", views.category_fields, name="category_fields"),
    path("stats/", views.statistics, name="stats"),
    path("notifications/", views.notifications, name="notifications"),
    path("visits/", views.visits, name="visits"),
    path("categories/", views.categories, name="categories"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<str:number>/", views.case_detail, name="case_detail"),
    path("<str:number>/do/<str:action>/", views.case_action, name="case_action"),
]

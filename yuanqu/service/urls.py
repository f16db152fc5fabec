from __future__ import annotations

from django.urls import path

from yuanqu.service import views

app_name = "service"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("specialists/", views.assignments, name="assignments"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/plans/<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path("policies/", views.policies, name="policies"),
    path("policies/<str:code>/", views.policy_detail, name="policy"),
    path("disbursements/<int:pk>/pay/", views.disbursement_pay, name="disbursement_pay"),
    path("my-policies/", views.my_policies, name="my_policies"),
    path("standards/", views.standards, name="standards"),
    path("standards/<str:code>/", views.park_services, name="park_services"),
    path("standards/<str:code>/<str:service_type>/retire/", views.park_service_retire, name="park_service_retire"),
    path("companions/", views.companions, name="companions"),
    path("companions/<int:pk>/", views.companion, name="companion"),
    path("standards/<str:code>/<str:service_type>/request/", views.service_request_new, name="service_request_new"),
    path("requests/", views.service_requests, name="requests"),
    path("requests/<int:pk>/done/", views.service_request_done, name="service_request_done"),
    path("fees/", views.fees, name="fees"),
    path("fees/<int:pk>/report/", views.fee_report, name="fee_report"),
    path("fees/<int:pk>/review/", views.fee_review, name="fee_review"),
    path("fees/<int:pk>/retire/", views.fee_retire, name="fee_retire"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<str:code>/", views.survey_results, name="survey"),
    path("surveys/<str:code>/close/", views.survey_close, name="survey_close"),
    path("surveys/<str:code>/export.xlsx", views.survey_results_export, name="survey_export"),
    path("surveys/<str:code>/answer/", views.survey_answer, name="survey_answer"),
]

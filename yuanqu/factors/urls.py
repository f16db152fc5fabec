from __future__ import annotations

from django.urls import path

from yuanqu.factors import views

app_name = "factors"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("land/", views.land, name="land"),
    path("land/new/", views.land_new, name="land_new"),
    path("land/export/", views.land_export, name="land_export"),
    path("land-plan/", views.land_plan, name="land_plan"),
    path("land-plan/export/", views.land_plan_export, name="land_plan_export"),
    path("land-plan/quota/", views.land_plan_quota, name="land_plan_quota"),
    path("land-plan/topup/", views.land_plan_topup, name="land_plan_topup"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/grant/", views.ledger_grant, name="ledger_grant"),
    path("ledger/<int:pk>/pay/", views.ledger_pay, name="ledger_pay"),
    path("ledger/<int:pk>/claw-back/", views.ledger_claw_back, name="ledger_claw_back"),
    path("funds/", views.funds, name="funds"),
    path("funds/export/", views.funds_export, name="funds_export"),
    path("funds/<int:pk>/", views.fund, name="fund"),
    path("funds/<int:pk>/export/", views.fund_export, name="fund_export"),
    path("funds/<int:pk>/invest/", views.fund_invest, name="fund_invest"),
    path("investments/<int:pk>/exit/", views.investment_exit, name="investment_exit"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/export/", views.meetings_export, name="meetings_export"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.minutes_upload, name="minutes_upload"),
    path("minutes/<int:pk>/", views.minutes_download, name="minutes"),
]

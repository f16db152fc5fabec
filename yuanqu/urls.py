from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from yuanqu.api import api
from yuanqu.core import views as core_views
from yuanqu.core.signin import SignInView

admin.site.site_header = "园区 · 平台管理"
admin.site.site_title = "园区平台管理"
admin.site.index_title = "数据与账号管理"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("core/", include("yuanqu.core.urls")),
    path("registry/", include("yuanqu.registry.urls")),
    path("casework/", include("yuanqu.casework.urls")),
    path("intake/", include("yuanqu.intake.urls")),
    path("jobs/", include("yuanqu.jobs.urls")),
    path("indicators/", include("yuanqu.indicators.urls")),
    path("targets/", include("yuanqu.targets.urls")),
    path("evaluation/", include("yuanqu.evaluation.urls")),
    path("investment/", include("yuanqu.investment.urls")),
    path("energy/", include("yuanqu.energy.urls")),
    path("cockpit/", include("yuanqu.dashboard.urls")),
    path("reports/", include("yuanqu.reports.urls")),
    path("service/", include("yuanqu.service.urls")),
    path("factors/", include("yuanqu.factors.urls")),
    path("talent/", include("yuanqu.talent.urls")),
    path("notifications/", include("yuanqu.notifications.urls")),
]

# Chinese error pages with a way back (JSON in the API's shape under /api/); see core/contract/pages.py.
handler400 = "yuanqu.core.contract.pages.bad_request"
handler403 = "yuanqu.core.contract.pages.permission_denied"
handler404 = "yuanqu.core.contract.pages.page_not_found"
handler500 = "yuanqu.core.contract.pages.server_error"

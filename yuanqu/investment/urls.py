from __future__ import annotations

from django.urls import path

from yuanqu.investment import views

app_name = "investment"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<str:number>/", views.project_detail, name="project_detail"),
    path("projects/<str:number>/advance/", views.project_advance, name="project_advance"),
    path("projects/<str:number>/terminate/", views.project_terminate, name="project_terminate"),
    path("projects/<str:number>/sites/", views.project_sites, name="project_sites"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("conflicts/<int:pk>/decide/", views.conflict_decide, name="conflict_decide"),
    path("chains/", views.chain_list, name="chains"),
    path("chains/<str:code>/", views.chain_detail, name="chain_detail"),
    path("parks/<str:code>/path/", views.park_path, name="park_path"),
    path("parks/<str:code>/path/items/", views.plan_item_add, name="plan_item_add"),
    path("plan-items/<int:pk>/outcome/", views.plan_item_outcome, name="plan_item_outcome"),
    path("plan-items/<int:pk>/delete/", views.plan_item_delete, name="plan_item_delete"),
    path("figures/", views.figures, name="figures"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<str:code>/confirm/", views.site_confirm, name="site_confirm"),
]

from __future__ import annotations

from django.urls import path

from yuanqu.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("parks/", views.park_list, name="park_list"),
    path("parks/<str:code>/", views.park_detail, name="park_detail"),
    path("parks/<str:code>/history/", views.park_state_record, name="park_state_record"),
    path("parks/<str:code>/history/<int:version_id>/correct/", views.park_version_correct, name="park_version_correct"),
    path("parks/<str:code>/change-requests/", views.park_change_requests, name="park_change_requests"),
    path("change-requests/", views.change_request_list, name="change_request_list"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<str:uscc>/history/", views.enterprise_state_record, name="enterprise_state_record"),
    path(
        "enterprises/<str:uscc>/history/<int:version_id>/correct/",
        views.enterprise_version_correct,
        name="enterprise_version_correct",
    ),
    path("districts/", views.district_list, name="district_list"),
    path("districts/<str:code>/", views.district_detail, name="district_detail"),
    path("chains/", views.chain_list, name="chain_list"),
    path("land/", views.land_list, name="land_list"),
    path("map/", views.park_map, name="map"),
    path("map/parks.geojson", views.map_parks, name="map_parks"),
    path("map/basemap.geojson", views.basemap, name="basemap"),
]

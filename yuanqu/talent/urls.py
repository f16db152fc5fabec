from __future__ import annotations

from django.urls import path

from yuanqu.talent import views

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_confirm, name="register_confirm"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/withdraw/", views.withdraw, name="withdraw"),
    path("profiles/export/", views.profiles_export, name="profiles_export"),
    path("profiles/<int:pk>/unmask/", views.profile_unmask, name="profile_unmask"),
    path("openings/new/", views.opening_new, name="opening_new"),
    path("openings/<int:pk>/", views.opening, name="opening"),
    path("openings/<int:pk>/close/", views.opening_close, name="opening_close"),
    path("interests/new/", views.interest_new, name="interest_new"),
    path("interests/<int:pk>/answer/", views.interest_answer, name="interest_answer"),
    path("interests/<int:pk>/outcome/", views.interest_outcome, name="interest_outcome"),
    path("challenges/", views.challenges_list, name="challenges"),
    path("challenges/new/", views.challenge_new, name="challenge_new"),
    path("challenges/<int:pk>/", views.challenge, name="challenge"),
    path("challenges/<int:pk>/teams/new/", views.team_new, name="team_new"),
    path("challenges/<int:pk>/outcome/", views.challenge_outcome, name="challenge_outcome"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/close/", views.challenge_close, name="challenge_close"),
    path("teams/<int:pk>/invite/", views.team_invite, name="team_invite"),
    path("teams/<int:pk>/apply/", views.team_apply, name="team_apply"),
    path("teams/<int:pk>/select/", views.team_select, name="team_select"),
    path("team-members/<int:pk>/answer/", views.member_answer, name="member_answer"),
    path("events/", views.events_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/firms/", views.event_firm_add, name="event_firm_add"),
    path("events/<int:pk>/openings/", views.event_opening_add, name="event_opening_add"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/outcome/", views.event_outcome, name="event_outcome"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:pk>/pay/", views.grant_pay, name="grant_pay"),
    path("honours/", views.honours_list, name="honours"),
    path("honours/new/", views.honour_new, name="honour_new"),
    path("honours/<int:pk>/", views.honour, name="honour"),
    path("honours/<int:pk>/correct/", views.honour_correct, name="honour_correct"),
]

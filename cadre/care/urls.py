from django.urls import path

from cadre.care import views

app_name = "care"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("talks/", views.talks, name="talks"),
    path("talks/must/", views.must_talk, name="must_talk"),
    path("talks/due/", views.talks_due, name="talks_due"),
    path("talks/<int:talk_id>/", views.talk_detail, name="talk"),
    path("talks/<int:talk_id>/summary/", views.talk_summary, name="talk_summary"),
    path("talks/<int:talk_id>/follow-up-done/", views.talk_follow_up_done,
         name="talk_follow_up_done"),
    path("oversight/", views.oversight, name="oversight"),
    path("visits/", views.visits, name="visits"),
    path("difficulties/", views.difficulties, name="difficulties"),
    path("difficulties/<int:difficulty_id>/", views.difficulty_detail, name="difficulty"),
    path("my/difficulty/", views.my_difficulty, name="my_difficulty"),
    path("exemplars/", views.exemplars, name="exemplars"),
    path("honours/new/", views.honour_kind_new, name="honour_kind_new"),
    path("rank/", views.rank_eligibility, name="rank"),
    path("rank/<int:cadre_id>/promote/", views.rank_promote, name="rank_promote"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/present/", views.meeting_present, name="meeting_present"),
    path("presentations/<int:presentation_id>/comment/", views.meeting_comment,
         name="meeting_comment"),
]

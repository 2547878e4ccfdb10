from django.urls import path

from cadre.care.views import incentives, support, talks

app_name = "care"
urlpatterns = [
    path("", talks.dashboard, name="dashboard"),
    path("talks/", talks.talks, name="talks"),
    path("talks/must/", talks.must_talk, name="must_talk"),
    path("talks/due/", talks.talks_due, name="talks_due"),
    path("talks/<int:talk_id>/", talks.talk_detail, name="talk"),
    path("talks/<int:talk_id>/summary/", talks.talk_summary, name="talk_summary"),
    path(
        "talks/<int:talk_id>/follow-up-done/", talks.talk_follow_up_done, name="talk_follow_up_done"
    ),
    path("oversight/", talks.oversight, name="oversight"),
    path("visits/", support.visits, name="visits"),
    path("difficulties/", support.difficulties, name="difficulties"),
    path("difficulties/<int:difficulty_id>/", support.difficulty_detail, name="difficulty"),
    path("my/difficulty/", support.my_difficulty, name="my_difficulty"),
    path("exemplars/", incentives.exemplars, name="exemplars"),
    path("honours/new/", incentives.honour_kind_new, name="honour_kind_new"),
    path("rank/", incentives.rank_eligibility, name="rank"),
    path("rank/<int:cadre_id>/promote/", incentives.rank_promote, name="rank_promote"),
    path("meetings/", incentives.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", incentives.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/present/", incentives.meeting_present, name="meeting_present"),
    path(
        "presentations/<int:presentation_id>/comment/",
        incentives.meeting_comment,
        name="meeting_comment",
    ),
]

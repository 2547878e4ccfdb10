from django.urls import path

from cadre.development.views import rotation, secondment, training

app_name = "development"
urlpatterns = [
    path("", training.dashboard, name="dashboard"),
    path("hours.xlsx", training.hours_export, name="hours_export"),
    path("my/", training.my_development, name="my"),
    path("topics/", training.topics, name="topics"),
    path("topics/<int:topic_id>/", training.topic_update, name="topic_update"),
    path("programmes/", training.programmes, name="programmes"),
    path("programmes/<int:programme_id>/", training.programme_detail, name="programme"),
    path("sessions/<int:session_id>/", training.session_detail, name="session"),
    path(
        "sessions/<int:session_id>/candidates/",
        training.session_candidates,
        name="session_candidates",
    ),
    path("sessions/<int:session_id>/enrol/", training.enrol, name="enrol"),
    path("sessions/<int:session_id>/close/", training.close, name="session_close"),
    path("enrolments/<int:enrolment_id>/attendance/", training.attendance, name="attendance"),
    path("enrolments/<int:enrolment_id>/complete/", training.complete, name="complete"),
    path("enrolments/<int:enrolment_id>/withdraw/", training.withdraw, name="withdraw"),
    path("enrolments/<int:enrolment_id>/evaluate/", training.evaluate, name="evaluate"),
    path("enrolments/<int:enrolment_id>/follow-up/", training.follow_up, name="follow_up"),
    path("follow-ups/", training.follow_ups, name="follow_ups"),
    path("needs/", training.needs, name="needs"),
    path("quality/", training.quality, name="quality"),
    path("secondments/", secondment.placements, name="placements"),
    path("secondments/new/", secondment.placement_new, name="placement_new"),
    path("secondments/<int:placement_id>/", secondment.placement_detail, name="placement"),
    path(
        "secondments/<int:placement_id>/report/",
        secondment.placement_report,
        name="placement_report",
    ),
    path(
        "secondments/<int:placement_id>/evaluate/",
        secondment.placement_evaluate,
        name="placement_evaluate",
    ),
    path("secondments/<int:placement_id>/end/", secondment.placement_end, name="placement_end"),
    path(
        "secondments/<int:placement_id>/cancel/",
        secondment.placement_cancel,
        name="placement_cancel",
    ),
    path("rotation/", rotation.candidates, name="rotation"),
    path("rotation/relatives/", rotation.relatives, name="relatives"),
    path("rotation/plans/", rotation.plans, name="plans"),
    path("rotation/plans/<int:plan_id>/", rotation.plan_detail, name="plan"),
    path("rotation/plans/<int:plan_id>/moves/", rotation.plan_add_move, name="plan_add_move"),
    path(
        "rotation/moves/<int:move_id>/withdraw/",
        rotation.plan_withdraw_move,
        name="plan_withdraw_move",
    ),
    path("rotation/plans/<int:plan_id>/<str:action>/", rotation.plan_action, name="plan_action"),
]

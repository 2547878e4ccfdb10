from django.urls import path

from cadre.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("years/", views.confirm_year, name="confirm_year"),
    path("days/", views.set_day, name="set_day"),
]

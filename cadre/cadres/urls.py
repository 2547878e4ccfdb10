from django.urls import path

from cadre.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views.cadre_export, name="export"),
    path("me/", views.my_record, name="me"),
    path("import/", views.import_page, name="import"),
    path("<int:cadre_id>/", views.cadre_detail, name="detail"),
    path("<int:cadre_id>/edit/", views.cadre_edit, name="edit"),
]

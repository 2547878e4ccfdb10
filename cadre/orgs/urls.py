from django.urls import path

from cadre.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("export.xlsx", views.unit_export, name="export"),
    path("<int:unit_id>/children/", views.unit_children, name="children"),
]

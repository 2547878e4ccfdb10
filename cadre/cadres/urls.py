from django.urls import path

from cadre.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views.cadre_export, name="export"),
    path("me/", views.my_record, name="me"),
    path("import/", views.import_page, name="import"),
    path("import/errors.xlsx", views.import_errors, name="import_errors"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path(
        "import/template/<slug:sheet>.xlsx",
        views.import_template,
        name="import_template_sheet",
    ),
    path("<int:cadre_id>/", views.cadre_detail, name="detail"),
    path("<int:cadre_id>/edit/", views.cadre_edit, name="edit"),
    path("<int:cadre_id>/leaving/", views.cadre_leaving, name="leaving"),
]

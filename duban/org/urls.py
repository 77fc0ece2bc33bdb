from django.urls import path

from duban.org import import_views, views

app_name = "org"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("import/", import_views.import_org, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
]

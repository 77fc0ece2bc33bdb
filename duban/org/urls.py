from django.urls import path

from duban.org import import_views, pick_views, views

app_name = "org"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/pick/", pick_views.unit_pick, name="unit_pick"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("import/", import_views.import_org, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    # Management pages: forms that call the actions.
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/roles/new/", views.role_grant, name="role_grant"),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("groups/<int:pk>/members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]

from django.urls import include, path

from duban.items import attachments, views

app_name = "items"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("import/", include("duban.items.import_views")),
    path("new/", views.item_create, name="create"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/assign/", views.item_assign, name="assign"),
    path("<int:pk>/decompose/", views.item_decompose, name="decompose"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/act/<slug:action>/", views.item_act, name="act"),
    path("attachments/<int:pk>/", attachments.serve_attachment, name="attachment"),
]

from django.urls import path

from duban.rulesets import views

app_name = "rulesets"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("presets/<int:pk>/activate/", views.preset_activate, name="activate"),
    path("<slug:slug>/", views.family_list, name="list"),
    path("<slug:slug>/new/", views.row_new, name="new"),
    path("<slug:slug>/<int:pk>/edit/", views.row_edit, name="edit"),
]

from django.urls import path

from duban.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_view, name="year"),
    path("load/", views.load_year, name="load"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]

from django.urls import URLPattern, URLResolver, path

from duban.ledgers import dashboard_views, export_views, views, wallchart_views

app_name = "ledgers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("print/", views.ledger_print, name="print"),
    path("export.xlsx", export_views.export_xlsx, name="export"),
    path("views/new/", views.view_create, name="view_create"),
    path("views/<int:pk>/rename/", views.view_rename, name="view_rename"),
    path("views/<int:pk>/update/", views.view_update, name="view_update"),
    path("views/<int:pk>/delete/", views.view_delete, name="view_delete"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("cockpit/", dashboard_views.cockpit, name="cockpit"),
    path("wallchart/", wallchart_views.wallchart, name="wallchart"),
    path("wallchart/print/", wallchart_views.wallchart_print, name="wallchart_print"),
]

from django.urls import include, path

from duban.items import attachments, report_views, tag_views, todo_views, views
from duban.ledgers import views as ledger_views

app_name = "items"
urlpatterns = [
    path("", ledger_views.ledger, name="list"),
    path("import/", include("duban.items.import_views")),
    path("new/", views.item_create, name="create"),
    path("todo/<slug:key>/", todo_views.todo_list, name="todo"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/tags/", tag_views.item_tags, name="tags"),
    path("<int:pk>/assign/", views.item_assign, name="assign"),
    path("<int:pk>/decompose/", views.item_decompose, name="decompose"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/act/<slug:action>/", views.item_act, name="act"),
    path("<int:pk>/report/", report_views.report_progress, name="report"),
    path("<int:pk>/plan/", report_views.submit_plan, name="plan"),
    path("<int:pk>/co-input/", report_views.co_input, name="co_input"),
    path("<int:pk>/final/", report_views.draft_final, name="final"),
    path("<int:pk>/final/send/", report_views.send_for_signoff, name="final_send"),
    path("<int:pk>/sign-off/", report_views.sign_off, name="sign_off"),
    path("<int:pk>/extensions/new/", report_views.request_extension, name="extension_request"),
    path(
        "<int:pk>/extensions/<int:ext>/decide/",
        report_views.decide_extension,
        name="extension_decide",
    ),
    path(
        "<int:pk>/extensions/<int:ext>/withdraw/",
        report_views.withdraw_extension,
        name="extension_withdraw",
    ),
    path("attachments/<int:pk>/", attachments.serve_attachment, name="attachment"),
]

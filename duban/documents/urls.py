from django.urls import URLPattern, URLResolver, path

from duban.documents import views

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.document_list, name="list"),
    path("new/bulletin/", views.new_bulletin, name="new_bulletin"),
    path("new/report/", views.new_report, name="new_report"),
    path("item/<int:pk>/", views.for_item, name="for_item"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/issue/", views.document_issue, name="issue"),
    path("<int:pk>/discard/", views.document_discard, name="discard"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:kind>/", views.template_edit, name="template"),
]

from django.urls import path

from . import shortlist_views as views

urlpatterns = [
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("shortlist/star/", views.star, name="shortlist_star"),
    path("shortlist/note/", views.note, name="shortlist_note"),
    path("shortlist/import/", views.import_shared, name="shortlist_import"),
    path("shortlist/compare/", views.compare, name="shortlist_compare"),
    path("shortlist/s/<str:token>/", views.shared, name="shortlist_shared"),
    path("shortlist/s/<str:token>/calendar.ics", views.shared_calendar, name="shortlist_calendar"),
]

from django.urls import path

from history import views

app_name = "history"

urlpatterns = [
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("glossary/<slug:slug>/", views.concept_detail, name="concept_detail"),
]

from django.urls import path

from learner import views

app_name = "learner"

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<slug:slug>/print/", views.lesson_print, name="lesson_print"),
    path("lessons/<slug:slug>/handout/", views.lesson_handout, name="lesson_handout"),
    path("lessons/<slug:slug>/handout.pdf", views.lesson_handout_pdf, name="lesson_handout_pdf"),
    path("lessons/<slug:slug>/guide/", views.lesson_guide, name="lesson_guide"),
    path("lessons/<slug:slug>/guide.pdf", views.lesson_guide_pdf, name="lesson_guide_pdf"),
    path(
        "lessons/<slug:slug>/questions/<int:question_id>/answer/",
        views.answer,
        name="answer",
    ),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("timeline/", views.timeline_page, name="timeline"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:slug>/", views.concept_detail, name="concept_detail"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]

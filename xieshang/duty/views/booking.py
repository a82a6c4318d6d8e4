"""Public booking pages (placeholder until the booking work lands)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path

from xieshang.core.decorators import public


@public
def book(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("c/<slug:code>/book/", book, name="book"),
    path("w/<slug:code>/book/", book, name="book_workroom"),
]

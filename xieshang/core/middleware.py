"""Turns a refused request (DomainError) into a clear page with the right status code."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.core.errors import DomainError


class ChineseFirstMiddleware:
    """Chinese is the interface language: the browser's Accept-Language is not consulted,
    so an English-language phone still gets Chinese. English is a choice made with the
    switch in the header (the language cookie), which LocaleMiddleware reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        template = "error_fragment.html" if getattr(request, "htmx", False) else "error.html"
        return render(
            request,
            template,
            {"status": exception.status, "message": exception.message},
            status=exception.status,
        )

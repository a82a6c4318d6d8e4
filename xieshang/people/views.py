"""Workspace directory pages: the members and departments of the user's committees."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.core.decorators import workspace_required
from xieshang.people.selectors import department_list, member_list


@workspace_required("people.view_member")
def member_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(member_list(user=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "people/member_list.html", {"page": page, "q": query})


@workspace_required("people.view_department")
def department_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/department_list.html",
        {"departments": department_list(user=request.user).prefetch_related("clerks__user")},
    )

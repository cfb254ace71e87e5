"""The search page: a plain GET form (in every page's header) and one page of results."""

from django.shortcuts import render

from courses import search
from courses.site_search import find


def search_page(request):
    query = search.parse(request.GET.get("q", ""))
    results = find(request, query, request.GET.get("page")) if query else None
    return render(request, "courses/search/results.html", {"query": query, "results": results})

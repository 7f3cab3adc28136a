"""Public pages: only what is published is ever shown."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from bulletin import selectors


@require_GET
def home(request):
    return render(request, "bulletin/issue_list.html", {"issues": selectors.issue_list_published()})


@require_GET
def issue_detail(request, bulletin, slug):
    issue = selectors.issue_get_published(bulletin_slug=bulletin, slug=slug)
    return render(request, "bulletin/issue_detail.html", {"issue": issue})

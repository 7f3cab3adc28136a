"""Public pages read only what is published; previews are for staff and 404 for anyone else."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bulletin import selectors


@require_GET
def home(request):
    context = {"publications": selectors.publication_list_current()}
    return render(request, "bulletin/issue_list.html", context)


@require_GET
def issue_detail(request, bulletin, slug):
    content = selectors.issue_content_public(bulletin_slug=bulletin, slug=slug)
    return render(request, "bulletin/issue_detail.html", {"issue": content})


@require_GET
def issue_preview(request, pk):
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    content = selectors.issue_content_preview(issue_id=pk)
    return render(request, "bulletin/issue_detail.html", {"issue": content, "preview": True})

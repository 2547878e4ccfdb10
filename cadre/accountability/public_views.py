"""Public notices under /public/notices/ (seed 五.2 公开通报): no login, no cookie."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.accountability import selectors
from cadre.supervision.public_views import public_page


@public_page
def notice_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accountability/public/notice_list.html",
        {"notices": selectors.public_notices()[:100]},
    )


@public_page
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.public_notice(notice_id)
    if notice is None:  # a response, not Http404: nothing about the client gets logged
        return render(request, "accountability/public/notice_missing.html", status=404)
    return render(request, "accountability/public/notice_detail.html", {"notice": notice})

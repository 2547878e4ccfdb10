"""An HTMX request that is refused gets the message as a fragment, with the refusal's status."""

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cadre.core.errors import Refused
from cadre.core.middleware import HtmxRefusalMiddleware

middleware = HtmxRefusalMiddleware(lambda request: HttpResponse())


def test_an_htmx_refusal_is_a_fragment_with_its_status() -> None:
    request = RequestFactory().post("/x/", headers={"HX-Request": "true"})
    response = middleware.process_exception(request, Refused("该干部不在您的管辖范围", "规则"))
    assert response is not None
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "该干部不在您的管辖范围" in body
    assert "依据：规则" in body


@pytest.mark.parametrize(
    ("headers", "exception"),
    [({}, Refused("拒绝")), ({"HX-Request": "true"}, ValueError("bug"))],
)
def test_other_requests_and_programming_errors_are_not_answered_here(
    headers: dict[str, str], exception: Exception
) -> None:
    request = RequestFactory().post("/x/", headers=headers)
    assert middleware.process_exception(request, exception) is None


def test_pages_let_htmx_swap_a_refusal(world: Any, as_user: Any) -> None:
    page = as_user(world.city_admin).get("/").content.decode()
    assert '{"code": "4..", "swap": true, "error": false}' in page

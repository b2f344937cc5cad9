"""A refused or missing page answers in Chinese, in the portal's frame, never Django's bare
English pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_page_explains_itself(hall, client_for):
    response = client_for(hall.dave).get("/staff/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "只有审计管理员可以查阅审计记录" in html
    assert "403 Forbidden" not in html


def test_a_missing_page_is_friendly(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "办事指南" in html

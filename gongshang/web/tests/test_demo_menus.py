"""With the demo data loaded, every menu page of every demo account opens (no 500, no 404):
the pages a person reaches first after `./dev serve`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from gongshang.accounts.models import User
from gongshang.web.navigation import menu_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def _pages(user) -> list[str]:
    return [item["url"] for item in menu_for(user)]


def test_every_menu_page_of_every_demo_account_opens(demo):
    users = list(User.objects.filter(kind__in=["staff", "employer", "individual"]).order_by("username"))
    assert len(users) >= 10
    visited = 0
    for user in users:
        client = Client()
        client.force_login(user)
        for url in _pages(user):
            response = client.get(url)
            assert response.status_code == 200, f"{user.username} {url}: {response.status_code}"
            visited += 1
    assert visited >= 30


def test_public_pages_open_without_login(demo):
    client = Client()
    for url in ["/", "/benefits/calculator/", "/v/", "/accounts/login/"]:
        assert client.get(url).status_code == 200, url

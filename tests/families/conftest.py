import datetime

import pytest

from django.utils import timezone

from cms.campaigns.models import CampaignIndexPage, CampaignPage
from cms.help.models import HelpPage
from cms.home.models import HomePage


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def campaign_index(home):
    index = CampaignIndexPage(title="宣传活动", slug="campaigns")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def help_page(home):
    page = HelpPage(title="求助", slug="help")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_campaign(index, *, slug="mh-day", title="10·10 世界精神卫生日", publish=True, start=None, days=30, **kw):
    start = start or timezone.localdate() - datetime.timedelta(days=1)
    page = CampaignPage(
        title=title,
        slug=slug,
        live=publish,
        theme="关注心理健康",
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        **kw,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page

"""Load the demo city: organisation, people, pages (and each later app's demo content).

Idempotent: every loader keys its rows on natural keys, so a second run changes no counts.
"""

import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

# Each app adds its loader here; they run in order (organisation first).
DEMO_LOADERS = [
    "accounts.demo.load",
    "tracking.delivery.demo.load",
    "tracking.ledger.demo.load",
    "cms.home.demo.load",
    "courses.demo.load",  # replaces the training / parents section pages with course catalogues
    "cms.campaigns.demo.load",  # campaigns, key dates, 求助, experts, the campaign workflow, a join code
    "resources.demo.load",  # replaces the resources section page with the library; rebuilds the search index
    "evaluation.rounds.demo.load",  # a 达标 round, facility entries of the flagship school, a researcher
]


class Command(BaseCommand):
    help = "Load demo content (districts, schools, classes, teachers, parents, coordinators, pages)."

    def handle(self, *args, **options):
        for dotted in DEMO_LOADERS:
            module_name, func_name = dotted.rsplit(".", 1)
            loader = getattr(importlib.import_module(module_name), func_name)
            with transaction.atomic():
                summary = loader()
            if summary:
                self.stdout.write(f"  {module_name}: {summary}")
        # Loaders run one after another, so a page saved early can point at content a later loader
        # creates (a campaign's related courses and resources): index every reference once at the end,
        # so "where is this used" in the admin is complete from the first run, and a re-run changes nothing.
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / Demo content is ready."))
        self.stdout.write(f"演示账号 / Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(
            "管理员、编辑和培训管理员登录时需输入两步验证码 / admin, editor and coordinators also need a "
            "two-step code: python manage.py demo_totp"
        )

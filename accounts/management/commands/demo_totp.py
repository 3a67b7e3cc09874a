"""Print the demo's current two-step verification code (the shared demo authenticator)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET
from accounts.models import User


class Command(BaseCommand):
    help = "Print the current two-step verification code of the demo coordinators, editor and admin."

    def add_arguments(self, parser):
        parser.add_argument("--recovery-codes", metavar="USERNAME", help="also list USERNAME's unused recovery codes")

    def handle(self, *args, **options):
        now = int(time.time())
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid for {period - now % period} s; authenticator secret {DEMO_TOTP_SECRET})")
        if options["recovery_codes"]:
            user = User.objects.get(username=options["recovery_codes"])
            authenticator = user.authenticator_set.filter(type="recovery_codes").first()
            if authenticator is None:
                self.stdout.write("no recovery codes")
                return
            for recovery_code in RecoveryCodes(authenticator).get_unused_codes():
                self.stdout.write(recovery_code)

"""Register a TOTP authenticator for a staff user from the shell (prints a QR code).

The first device has to come from here when settings.OTP_REQUIRED_FOR_STAFF is on: the
admin's own "Two-factor" page is behind the two-factor login it sets up.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a confirmed TOTP device for a staff user and print its QR code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=options["username"])
        except user_model.DoesNotExist as error:
            raise CommandError(f"no user {options['username']!r}") from error
        if not user.is_staff:
            raise CommandError(f"{user} is not staff: two-factor is for the admin")
        device = TOTPDevice.objects.create(user=user, name=options["name"], confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        buffer = io.StringIO()
        code.print_ascii(out=buffer, invert=True)
        self.stdout.write(buffer.getvalue())
        self.stdout.write(f"Or enter this in the authenticator app: {device.config_url}")

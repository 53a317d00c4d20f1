import os

from django.core.checks import Tags, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A deployment whose login throttle could be turned against the admins does not start
# (positions/checks.py): behind a proxy the client-address header must be configured.
# Django's own commands run these checks; a WSGI server does not, so they run here.
_refused = [message for message in run_checks(tags=[Tags.security]) if message.is_serious()]
if _refused:
    raise ImproperlyConfigured("; ".join(f"{message.id}: {message.msg}" for message in _refused))

from config import web_process  # noqa: E402 - needs the settings set up above

web_process.configure()

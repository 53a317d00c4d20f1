"""Settings for the Celery workers and beats the slow tests start: the project's settings
with short leases, so a killed worker's task comes back within seconds, not an hour."""

from config.settings import *  # noqa: F403
from tests.scrapers import support

CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
SCRAPER_SOURCE_LOCK_SECONDS = 5
SCRAPER_TASK_RETRY_SECONDS = 1.0
SCRAPER_TOTAL_TIMEOUT = 3.0
SCRAPER_HOST_LOCK_MARGIN = 1.0
SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
SCRAPER_MIN_HOST_DELAY = 0.0
SCRAPER_MAX_RETRIES = 0
SCRAPER_REPLAY_DIR = ""

support.install()

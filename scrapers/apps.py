from django.apps import AppConfig


class ScrapersConfig(AppConfig):
    name = "scrapers"
    verbose_name = "Scrapers"

    def ready(self) -> None:
        # positions asks for re-scrapes by a signal: it never imports scraping.
        from positions.signals import rescrape_requested

        from .tasks import sources_enqueue_scrape

        rescrape_requested.connect(sources_enqueue_scrape, dispatch_uid="scrapers-rescrape")

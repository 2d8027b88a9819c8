import importlib

from django.test import override_settings
from django.urls import clear_url_caches

from optovik.config import urls


def _reload_urls():
    importlib.reload(urls)
    clear_url_caches()


def test_product_images_are_served_only_when_the_site_serves_its_media(client, db, settings, tmp_path):
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    settings.MEDIA_ROOT = tmp_path
    with override_settings(SERVE_MEDIA=True):
        _reload_urls()
        assert client.get("/media/products/a.png").status_code == 200
        assert client.get("/media/../settings.py").status_code in {400, 404}
    with override_settings(SERVE_MEDIA=False):
        _reload_urls()
        assert client.get("/media/products/a.png").status_code == 404

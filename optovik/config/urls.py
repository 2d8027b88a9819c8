from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from optovik.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    # Pages without the icon link (the admin, error pages) make browsers ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("optovik/favicon.svg"), permanent=True)),
    path("", include("optovik.portal.urls")),
]

if settings.SERVE_MEDIA:
    # Public uploads (product images) served by the application itself: `make run` and one-machine
    # installations. Behind a reverse proxy, let the proxy serve MEDIA_ROOT and leave this off.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

"""The back office's Content Security Policy.

The admin theme (django-unfold) drives its menus, tabs, filters and inline forms with Alpine.js,
which evaluates its expressions as JavaScript and sets inline styles. Under the portal's strict
policy the admin would load but not respond, so admin pages — and only they — allow
``'unsafe-eval'`` scripts and inline styles; admin pages may also be framed by
themselves (related-object pop-ups); everything else stays as strict as on the portal.
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override


def admin_csp() -> dict:
    policy = {key: list(values) for key, values in settings.SECURE_CSP.items()}
    policy["script-src"] = [*policy.get("script-src", [CSP.SELF]), CSP.UNSAFE_EVAL]
    policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]  # a nonce would make browsers ignore unsafe-inline
    policy["frame-ancestors"] = [CSP.SELF]  # related objects open in a frame over the form
    return policy


def _wrap(patterns, decorator) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns, decorator)
        elif isinstance(pattern, URLPattern):
            pattern.callback = decorator(pattern.callback)


def apply_admin_csp(site) -> None:
    """Makes every URL of ``site`` (login and model pages included) answer with ``admin_csp()``."""
    get_urls = site.get_urls

    def get_urls_with_csp():
        patterns = get_urls()
        _wrap(patterns, csp_override(admin_csp()))
        return patterns

    site.get_urls = get_urls_with_csp

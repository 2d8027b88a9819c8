from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "optovik.portal"
    label = "portal"

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "optovik.backoffice"
    label = "backoffice"

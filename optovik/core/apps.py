from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "optovik.core"
    label = "core"

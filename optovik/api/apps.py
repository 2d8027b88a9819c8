from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "optovik.api"
    label = "api"

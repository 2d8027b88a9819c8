from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "optovik.documents"
    label = "documents"

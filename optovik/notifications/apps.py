from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "optovik.notifications"
    label = "notifications"

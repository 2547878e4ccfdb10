from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cadre.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from cadre.workdays import checks  # noqa: F401  (registers the system checks)

from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    """Synthetic data and the demo: the `generate` and `demo` commands (no models).

    It sits above the foundation apps it fills (cadres, orgs, accounts, audit); each domain
    app's own `generate` module is found by name (docs/architecture.md)."""

    name = "cadre.generator"
    label = "generator"
    verbose_name = "合成数据与演示"

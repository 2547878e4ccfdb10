"""The special-inspection topics the seed names (三.4); staff edit or add more later."""

from django.db import migrations

TOPICS = [
    ("五水共治", "治污水、防洪水、排涝水、保供水、抓节水"),
    ("三改一拆", "旧住宅区、旧厂区、城中村改造和拆除违法建筑"),
    ("浙商回归", "引导在外浙商回乡投资兴业"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("targets", "InspectionTopic")
    for order, (name, description) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

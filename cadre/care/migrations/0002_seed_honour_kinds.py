"""The seed's exemplar kinds (种子文件 四.5 先进典型); staff add more."""

from django.db import migrations

KINDS = [("千名好支书", "省级"), ("优秀乡镇党委书记", "省级"), ("优秀县委书记", "省级")]


def load(apps, schema_editor):
    HonourKind = apps.get_model("care", "HonourKind")
    for name, level in KINDS:
        HonourKind.objects.get_or_create(name=name, defaults={"level": level})


class Migration(migrations.Migration):
    dependencies = [("care", "0001_talks_care_incentives")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

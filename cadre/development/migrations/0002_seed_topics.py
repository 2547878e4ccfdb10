"""The seed's 专业化能力培训 topics (种子文件 二), with the fields of work that call for them."""

from django.db import migrations

TOPICS = [
    ("转型升级", ["economy", "enterprise_mgmt"]),
    ("创新驱动", ["economy", "education", "enterprise_mgmt"]),
    ("现代金融", ["finance", "economy", "enterprise_mgmt"]),
    ("城乡建设", ["planning", "agriculture"]),
    ("生态建设", ["environment", "agriculture"]),
    ("文化建设", ["propaganda", "education"]),
    ("法治建设", ["law", "discipline", "petition", "general", "organization"]),
    ("社会治理", ["social", "petition", "law", "health"]),
    ("互联网+", ["general", "economy", "propaganda"]),
    ("智慧城市", ["planning", "social"]),
]


def load(apps, schema_editor):
    Topic = apps.get_model("development", "TrainingTopic")
    for name, fields in TOPICS:
        Topic.objects.get_or_create(name=name, defaults={"work_fields": fields})


class Migration(migrations.Migration):
    dependencies = [("development", "0001_training_secondment_rotation")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

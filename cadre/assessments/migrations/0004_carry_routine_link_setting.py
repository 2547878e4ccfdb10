# One setting per rule (issue 14 item 3): the 平时→优秀 link rule was declared twice, as
# worklogs.excellent_link_enabled and assessments.routine_link_rule. Only the assessments key
# remains; a value staff set on the removed key is carried over when the kept key was not set.
# The old row stays (nothing is hard-deleted); no code reads it any more.

from django.db import migrations

REMOVED = "worklogs.excellent_link_enabled"
KEPT = "assessments.routine_link_rule"


def carry_over(apps, schema_editor):
    setting = apps.get_model("core", "RuleSetting")
    old = setting.objects.filter(key=REMOVED).first()
    if old is None or setting.objects.filter(key=KEPT).exists():
        return
    setting.objects.create(
        key=KEPT, value=old.value,
        note=f"由已合并的规则 {REMOVED} 迁移（原说明：{old.note}）"[:200],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_unit_result'),
        ('core', '0002_notifications'),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]

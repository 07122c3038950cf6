"""The timing rules of the recruitment (domain.md §2), as rows an administrator may correct."""

from django.db import migrations

# (Chinese name, English name, from step (None: birth), to step, minimum, maximum, unit)
RULES = [
    ("申请人年满十八周岁", "Applicant at least 18 at application", None, 1, 18, None, "years"),
    ("一个月内派人谈话", "Talk within one month of the application", 1, 2, None, 1, "months"),
    ("培养教育一年以上", "At least one year as an activist before becoming a candidate", 3, 7, 1, None, "years"),
    ("政治审查一年内有效", "Political review valid for one year at the branch assembly", 10, 15, None, 1, "years"),
    ("预审后一个月内召开支部大会", "Branch assembly within one month after the pre-review", 13, 15, None, 1, "months"),
    ("三个月内审批", "Approval within three months of the branch assembly", 15, 17, None, 3, "months"),
    ("预备期一年", "One year of probation before the vote on full membership", 15, 23, 1, None, "years"),
    ("转正三个月内审批", "Approval of full membership within three months", 23, 24, None, 3, "months"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("branches", "RecruitmentRule")
    for name_zh, name_en, from_step, to_step, minimum, maximum, unit in RULES:
        Rule.objects.get_or_create(
            name_zh=name_zh,
            defaults={
                "name_en": name_en,
                "from_step": from_step,
                "to_step": to_step,
                "minimum": minimum,
                "maximum": maximum,
                "unit": unit,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("branches", "0008_recruitment")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The recruitment's admin: cases read-only with their steps, the timing rules editable."""

from django.urls import reverse

from branches.models import RecruitmentRule

from ..cases import recruit


def test_cases_are_read_only_and_rules_editable(tree, client_as, superuser, v21_secretary):
    case = recruit(v21_secretary, tree.v21, 3)
    admin = client_as(superuser)
    assert case.name in admin.get(reverse("admin:branches_recruitmentcase_changelist")).content.decode()
    page = admin.get(reverse("admin:branches_recruitmentcase_change", args=[case.pk]))
    assert page.status_code == 200 and "110115" in page.content.decode()
    assert case.id_number not in page.content.decode()
    assert admin.get(reverse("admin:branches_recruitmentcase_add")).status_code == 403
    rule = RecruitmentRule.objects.get(from_step=3, to_step=7)
    url = reverse("admin:branches_recruitmentrule_change", args=[rule.pk])
    data = {
        "name_zh": rule.name_zh,
        "name_en": rule.name_en,
        "from_step": 3,
        "to_step": 7,
        "minimum": 2,
        "maximum": 1,
        "unit": "years",
        "active": "on",
    }
    refused = admin.post(url, data)
    assert refused.status_code == 200 and "maximum" in refused.context["adminform"].form.errors
    assert admin.post(url, {**data, "maximum": ""}).status_code == 302
    rule.refresh_from_db()
    assert rule.minimum == 2

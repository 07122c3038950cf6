"""How tests open a case of each of the seven powers: `open_case(code, actor, village, **fields)` calls the power's
opening action with valid fields. A power registers its factory in CASE_FACTORIES (the route walk and the shared
power tests open one case of every registered power)."""

import datetime

from branches import actions
from branches.models import AffairsInspection, MajorMatter, OrganizationGuidance, case_models

__all__ = ["CASE_FACTORIES", "open_case"]


def _guidance(actor, village, **fields):
    data = {
        "title": "指导支部规范三会一课",
        "subject": OrganizationGuidance.Subject.ORG_LIFE,
        "method": OrganizationGuidance.Method.ON_SITE,
        "guidance": "支委会每月召开，记录要完整。",
        "requirements": "补齐上季度会议记录。",
        "due_on": datetime.date.today() + datetime.timedelta(days=30),
        **fields,
    }
    return actions.case_open(actor=actor, model=OrganizationGuidance, village=village, **data)


def _major_matter(actor, village, **fields):
    data = {
        "title": "村集体鱼塘承包",
        "kind": MajorMatter.Kind.LAND,
        "description": "村集体鱼塘对外承包五年。",
        "amount": "50000.00",
        **fields,
    }
    return actions.case_open(actor=actor, model=MajorMatter, village=village, **data)


def _inspection(actor, village, **fields):
    data = {
        "title": "村级财产管理检查",
        "area": AffairsInspection.Area.PROPERTY,
        "inspected_on": datetime.date.today() - datetime.timedelta(days=3),
        "inspectors": "总支监督小组",
        "findings": "固定资产台账未及时更新。",
        **fields,
    }
    return actions.case_open(actor=actor, model=AffairsInspection, village=village, **data)


CASE_FACTORIES = {
    OrganizationGuidance.power: _guidance,
    MajorMatter.power: _major_matter,
    AffairsInspection.power: _inspection,
}


def open_case(code: str, actor, village, **fields):
    return CASE_FACTORIES[code](actor, village, **fields)


def registered_powers() -> list[str]:
    """The powers that have both a case model and a test factory."""
    return [code for code in case_models() if code in CASE_FACTORIES]

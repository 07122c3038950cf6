"""How tests open a case of each of the seven powers: `open_case(code, actor, village, **fields)` calls the power's
opening action with valid fields. A power registers its factory in CASE_FACTORIES (the route walk and the shared
power tests open one case of every registered power)."""

import datetime

from django.utils import timezone

from branches import actions
from branches.models import EmergencyIncident, OrganizationGuidance, case_models

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


def _emergency(actor, village, **fields):
    now = timezone.now()
    data = {
        "title": "暴雨致村道塌方",
        "kind": EmergencyIncident.Kind.NATURAL,
        "level": EmergencyIncident.Level.IV,
        "occurred_at": now - datetime.timedelta(hours=2),
        "known_at": now - datetime.timedelta(hours=1, minutes=40),
        "place": "村东路口",
        "description": "暴雨冲毁村道约二十米，无人员伤亡。",
        **fields,
    }
    return actions.case_open(actor=actor, model=EmergencyIncident, village=village, **data)


CASE_FACTORIES = {
    OrganizationGuidance.power: _guidance,
    EmergencyIncident.power: _emergency,
}


def open_case(code: str, actor, village, **fields):
    return CASE_FACTORIES[code](actor, village, **fields)


def registered_powers() -> list[str]:
    """The powers that have both a case model and a test factory."""
    return [code for code in case_models() if code in CASE_FACTORIES]

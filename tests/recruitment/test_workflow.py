"""A recruitment case from application to full membership (issue 9, done-when 2): the order of the steps, the
timing rules named in their refusals, the votes' quorum and majority, the pre-review before step 13, the roster."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from anding.models import AuditEvent
from branches import actions
from branches.choices import MemberStatus
from branches.models import PartyMember, RecruitmentRule, Stage

from ..cases import RECRUITMENT_DATES as D
from ..cases import approve_prereview, open_prereview, recruit

pytestmark = pytest.mark.django_db


def record(actor, case, number, on, **fields):
    case.refresh_from_db()
    return actions.recruitment_record_step(actor=actor, case=case, number=number, done_on=on, **fields)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {"__all__": caught.value.messages}


def test_a_case_runs_from_application_to_full_membership(tree, v21_secretary, gb2_secretary):
    case = recruit(v21_secretary, tree.v21, 16, approver=gb2_secretary)
    assert case.stage == Stage.CANDIDATE and case.member is None
    record(v21_secretary, case, 17, D[17])
    case.refresh_from_db()
    member = case.member
    assert case.stage == Stage.PROBATIONARY
    assert member.status == MemberStatus.PROBATIONARY and member.joined_on == D[15] and member.branch == tree.v21
    assert member.id_number == case.id_number and member.name == case.name
    assert AuditEvent.objects.filter(action="member_create", object_id=str(member.pk)).exists()
    for number in range(18, 25):
        vote = {"expected": 20, "present": 16, "in_favour": 15} if number == 23 else {}
        record(v21_secretary, case, number, D[number], **vote)
    member.refresh_from_db()
    case.refresh_from_db()
    assert case.stage == Stage.FULL and member.status == MemberStatus.FULL
    assert member.full_member_on == datetime.date(2024, 7, 1)  # the day the year of probation ended
    assert AuditEvent.objects.filter(action="member_update", object_id=str(member.pk)).exists()
    record(v21_secretary, case, 25, D[25])
    case.refresh_from_db()
    assert case.closed_on == D[25] and case.next_step is None and case.steps.count() == 25
    assert AuditEvent.objects.filter(action="recruitment_step", object_id=str(case.pk)).count() == 24
    with pytest.raises(ValidationError):
        record(v21_secretary, case, 26, D[25])


def test_an_activist_promoted_after_eleven_months_is_refused_with_the_rules_name(tree, v21_secretary):
    case = recruit(v21_secretary, tree.v21, 6)
    with translation.override("zh-hans"):
        errors = refusal(lambda: record(v21_secretary, case, 7, datetime.date(2023, 2, 1)))
    assert "培养教育一年以上" in errors["done_on"][0]
    with translation.override("en"):
        errors = refusal(lambda: record(v21_secretary, case, 7, datetime.date(2023, 2, 1)))
    assert "At least one year as an activist" in errors["done_on"][0]
    case.refresh_from_db()
    assert case.last_step == 6 and case.stage == Stage.ACTIVIST
    record(v21_secretary, case, 7, datetime.date(2023, 3, 1))  # a year to the day
    case.refresh_from_db()
    assert case.stage == Stage.CANDIDATE


def test_rules_are_rows_that_can_be_corrected(tree, v21_secretary):
    case = recruit(v21_secretary, tree.v21, 1)
    late = datetime.date(2022, 3, 1)  # the talk more than a month after the application
    assert "done_on" in refusal(lambda: record(v21_secretary, case, 2, late))
    RecruitmentRule.objects.filter(from_step=1, to_step=2).update(maximum=3)
    record(v21_secretary, case, 2, late)


def test_an_applicant_under_eighteen_is_refused(tree, v21_secretary):
    with pytest.raises(ValidationError) as caught:
        recruit(v21_secretary, tree.v21, 1, dates={1: datetime.date(2013, 3, 9)})
    assert "applied_on" in caught.value.message_dict


def test_steps_go_in_order_and_dates_do_not_go_back(tree, v21_secretary):
    case = recruit(v21_secretary, tree.v21, 2)
    assert "number" in refusal(lambda: record(v21_secretary, case, 4, D[4]))
    assert "done_on" in refusal(lambda: record(v21_secretary, case, 3, D[2] - datetime.timedelta(days=1)))
    future = datetime.date.today() + datetime.timedelta(days=1)
    assert "done_on" in refusal(lambda: record(v21_secretary, case, 3, future))
    case.refresh_from_db()
    assert case.last_step == 2


def test_step_13_waits_for_the_approved_prereview(tree, v21_secretary, gb2_secretary):
    case = recruit(v21_secretary, tree.v21, 11)
    with pytest.raises(ValidationError):  # a pre-review opens only once step 12 is recorded
        open_prereview(v21_secretary, case)
    record(v21_secretary, case, 12, D[12], expected=5, present=5, in_favour=4)
    errors = refusal(lambda: record(v21_secretary, case, 13, D[13]))
    assert "pre-review" in errors["__all__"][0] or "预审" in errors["__all__"][0]
    review = open_prereview(v21_secretary, case)
    actions.case_transition(actor=v21_secretary, case=review, name="submit")
    assert refusal(lambda: record(v21_secretary, case, 13, D[13]))  # submitted, not approved
    with pytest.raises(PermissionDenied):  # the general-branch secretary decides
        actions.case_transition(actor=v21_secretary, case=review, name="approve")
    with pytest.raises(ValidationError):
        actions.case_transition(actor=gb2_secretary, case=review, name="return", comment=" ")
    actions.case_transition(actor=gb2_secretary, case=review, name="return", comment="政审材料不全")
    actions.case_transition(actor=v21_secretary, case=review, name="resubmit")
    actions.case_transition(actor=gb2_secretary, case=review, name="approve")
    record(v21_secretary, case, 13, D[13])
    case.refresh_from_db()
    assert case.last_step == 13


@pytest.mark.parametrize(
    ("expected", "present", "in_favour", "field"),
    [
        (20, 10, 10, "present"),  # half is no quorum
        (20, 11, 10, "in_favour"),  # half of those expected does not pass
        (20, 21, 15, "present"),
        (20, 15, None, "in_favour"),
    ],
)
def test_a_branch_assembly_vote_needs_its_quorum_and_majority(
    tree, v21_secretary, gb2_secretary, expected, present, in_favour, field
):
    case = recruit(v21_secretary, tree.v21, 14, approver=gb2_secretary)
    vote = {"expected": expected, "present": present, "in_favour": in_favour}
    assert field in refusal(lambda: record(v21_secretary, case, 15, D[15], **vote))
    case.refresh_from_db()
    assert case.last_step == 14
    record(v21_secretary, case, 15, D[15], expected=20, present=11, in_favour=11)


def test_deputies_and_other_branches_do_not_record(tree, v21_secretary, g2_deputy, gb_secretary, village_secretary):
    case = recruit(v21_secretary, tree.v21, 1)
    for actor in (g2_deputy, gb_secretary, village_secretary):
        with pytest.raises(PermissionDenied):
            record(actor, case, 2, D[2])


def test_withdrawn_case(tree, v21_secretary):
    case = recruit(v21_secretary, tree.v21, 3)
    assert "reason" in refusal(
        lambda: actions.recruitment_end(actor=v21_secretary, case=case, stage=Stage.WITHDRAWN, on=D[4], reason="")
    )
    actions.recruitment_end(actor=v21_secretary, case=case, stage=Stage.WITHDRAWN, on=D[4], reason="本人申请撤回")
    case.refresh_from_db()
    assert case.closed_on == D[4] and not case.is_open
    assert refusal(lambda: record(v21_secretary, case, 4, D[4]))
    assert not PartyMember.objects.filter(name=case.name).exists()


def test_the_same_person_has_one_open_case(tree, v21_secretary):
    recruit(v21_secretary, tree.v21, 1)
    with pytest.raises(ValidationError):
        recruit(v21_secretary, tree.v21, 1)


def test_prereview_helper(tree, gb2_secretary):
    case = recruit(gb2_secretary, tree.v21, 13)
    assert case.prereview.status == "approved" and case.prereview.closed_on is not None
    assert approve_prereview


def test_due_cases_are_on_the_village_secretarys_todo(tree, client_as, v21_secretary, gb2_secretary):
    from django.urls import reverse

    case = recruit(v21_secretary, tree.v21, 1, dates={1: datetime.date.today() - datetime.timedelta(days=40)})
    calm = recruit(v21_secretary, tree.v21, 1, name="孙平", seq=17, dates={1: datetime.date.today()})
    page = client_as(v21_secretary).get(reverse("dashboard"))
    content = page.content.decode()
    assert case.get_absolute_url() in content and calm.get_absolute_url() not in content
    assert "一个月内派人谈话" in content


def test_the_monthly_report_counts_recruits_by_stage(tree, v21_secretary, gb2_secretary):
    from branches.selectors import figure_sections

    recruit(v21_secretary, tree.v21, 3)
    recruit(v21_secretary, tree.v21, 1, name="孙平", seq=17)
    month = datetime.date.today().replace(day=1)
    figures = actions.report_figures(tree.v21, month)
    assert figures["recruits"] == {"applicant": 1, "activist": 1}
    section = next(s for s in figure_sections(figures) if s["key"] == "recruits")
    with translation.override("en"):
        assert ("activist", 1) in [(str(label), n) for label, n in section["rows"]]

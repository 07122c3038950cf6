"""`verify_audit --anchors`: the last event's id and hash kept on another host, so that events cut off the end of
the trail (which leaves a shorter chain that still verifies) are noticed (checklist item 20, "the off-host copy")."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anding import audit_chain
from anding.models import AuditEvent
from tests.test_audit_integrity import events, raw


def verify(anchors):
    out = io.StringIO()
    call_command("verify_audit", anchors=anchors, stdout=out)
    return out.getvalue()


def test_20_each_run_appends_the_last_event_to_the_anchor_file(db, tmp_path):
    anchors = tmp_path / "anchors.txt"
    events(2)
    verify(anchors)
    last = events(1)[0]
    verify(anchors)

    lines = anchors.read_text().splitlines()
    assert len(lines) == 2
    assert lines[-1].split()[:2] == [str(last.pk), last.hash]


def test_20_events_cut_off_the_end_are_noticed_by_the_anchor(db, tmp_path):
    anchors = tmp_path / "anchors.txt"
    first, *_rest, last = events(4)
    verify(anchors)
    raw("DELETE FROM anding_auditevent WHERE id > %s", [first.pk])

    alone = io.StringIO()
    call_command("verify_audit", stdout=alone)
    assert "OK: 1 audit events" in alone.getvalue()  # the chain alone still holds
    with pytest.raises(CommandError, match=f"event {last.pk}, anchored earlier, is gone"):
        verify(anchors)


def test_20_a_rewritten_last_event_is_noticed_by_the_anchor(db, tmp_path):
    """The last event rewritten with its hash recomputed: no later link breaks, the anchor does."""
    anchors = tmp_path / "anchors.txt"
    last = events(2)[-1]
    verify(anchors)
    values = last.chain_values() | {"action": "rewritten"}
    raw(
        "UPDATE anding_auditevent SET action = %s, hash = %s WHERE id = %s",
        ["rewritten", audit_chain.event_hash(values, last.prev_hash), last.pk],
    )

    with pytest.raises(CommandError, match=f"event {last.pk} no longer has the hash anchored for it"):
        verify(anchors)


def test_20_events_purged_by_purge_audit_are_not_missed(db, tmp_path):
    anchors = tmp_path / "anchors.txt"
    first = events(1)[0]
    anchors.write_text(f"{first.pk} {first.hash}\n")
    kept = events(1)[0]
    raw("DELETE FROM anding_auditevent WHERE id = %s", [first.pk])
    # As purge_audit writes it: not through audit.record, whose redaction takes a hash's 11 digits in a row that begin
    # 13-19 (one hash in 90) for a phone number.
    AuditEvent.objects.create(
        action=audit_chain.PURGE_ACTION, detail={"first_kept_id": kept.pk, "first_kept_prev_hash": kept.prev_hash}
    )

    assert "OK" in verify(anchors)


def test_an_anchor_file_that_is_not_ours_is_refused(db, tmp_path):
    anchors = tmp_path / "anchors.txt"
    anchors.write_text("not an anchor\n")
    events(1)

    with pytest.raises(CommandError, match="line 1"):
        verify(anchors)

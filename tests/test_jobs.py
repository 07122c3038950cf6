"""Large exports as background jobs (anding/jobs.py): the page answers at once, the job shows its progress, the file
holds what the list shows, and only its user sees the job or downloads the file."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anding import jobs
from anding.models import AuditEvent, Job
from branches.models import PartyMember


@pytest.fixture
def small_inline(settings, tmp_path):
    settings.EXPORT_INLINE_ROWS = 10
    settings.JOB_QUEUE = "inline"
    settings.MEDIA_ROOT = tmp_path
    return settings


def rows_of(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_a_large_export_becomes_a_job_whose_file_holds_the_list(small_inline, client_as, tree, town_cadre):
    client = client_as(town_cadre)

    asked = client.get("/members/?export=xlsx")
    job = Job.objects.get()
    page = client.get(asked["Location"])
    download = client.get(f"/jobs/{job.pk}/download/")

    assert asked.status_code == 302 and asked["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.done == job.total == PartyMember.objects.count()
    assert f"/jobs/{job.pk}/download/" in page.content.decode() and 'http-equiv="refresh"' not in page.content.decode()
    assert download["Content-Disposition"].startswith('attachment; filename="members-')
    rows = rows_of(download)
    assert len(rows) == 1 + PartyMember.objects.count()
    member = tree.members["v11"][0]
    assert all(member.id_number not in str(row) for row in rows)  # masked, as on the page
    export = AuditEvent.objects.get(action="export")
    assert export.detail["rows"] == job.total and export.object_id == str(job.pk)
    assert AuditEvent.objects.filter(action="export_download", object_id=str(job.pk)).exists()


def test_the_job_keeps_the_lists_filters_and_the_users_scope(small_inline, client_as, tree, town_cadre):
    small_inline.EXPORT_INLINE_ROWS = 3
    client = client_as(town_cadre)
    client.get(f"/members/?export=xlsx&branch={tree.g1.pk}")
    job = Job.objects.get()

    rows = rows_of(client.get(f"/jobs/{job.pk}/download/"))

    in_g1 = PartyMember.objects.filter(branch__in=[tree.v11, tree.v12]).count()
    assert job.total == job.done == in_g1 == len(rows) - 1
    assert "export" not in job.path  # "back to the list" does not export again


def test_a_short_export_is_still_answered_at_once(settings, client_as, tree, town_cadre):
    settings.EXPORT_INLINE_ROWS = 100_000
    response = client_as(town_cadre).get("/members/?export=xlsx")

    assert response.status_code == 200 and not Job.objects.exists()


def test_only_the_jobs_user_sees_it_or_downloads_its_file(small_inline, client_as, tree, town_cadre, gb_secretary):
    client_as(town_cadre).get("/members/?export=xlsx")
    job = Job.objects.get()
    other = client_as(gb_secretary)

    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client_as(None).get(f"/jobs/{job.pk}/").status_code == 302


def test_a_running_job_shows_its_progress_and_refreshes(client_as, tree, town_cadre):
    job = Job.objects.create(
        user=town_cadre, title="党员", path="/members/", status=Job.Status.RUNNING, done=50, total=200
    )

    page = client_as(town_cadre).get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<progress class="job-progress w-100" max="100" value="25"' in page
    assert "50 of 200 rows written" in page and 'http-equiv="refresh"' in page
    assert client_as(town_cadre).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_failed_job_says_so_and_is_logged(small_inline, client_as, tree, town_cadre, caplog):
    job = Job.objects.create(user=town_cadre, title="x", path="/no-such-list/", total=1)

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "failed" in caplog.text
    page = client_as(town_cadre).get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The export failed" in page and "Resolver404" not in page


def test_a_job_runs_once(small_inline, tree, town_cadre):
    job = Job.objects.create(user=town_cadre, title="x", path="/members/", total=5, status=Job.Status.DONE)

    jobs.run(job.pk)

    assert Job.objects.get(pk=job.pk).done == 0


def test_old_jobs_and_their_files_are_deleted(small_inline, client_as, tree, town_cadre):
    client_as(town_cadre).get("/members/?export=xlsx")
    old = Job.objects.get()
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert jobs.job_file(old).exists()

    client_as(town_cadre).get("/members/?export=xlsx")

    assert not Job.objects.filter(pk=old.pk).exists() and not jobs.job_file(old).exists()
    assert Job.objects.count() == 1


def test_on_redis_the_job_is_queued_and_a_worker_does_it(
    small_inline, client_as, tree, town_cadre, django_capture_on_commit_callbacks
):
    redis = pytest.importorskip("redis")
    from rq import SimpleWorker

    small_inline.JOB_QUEUE = "rq"
    small_inline.REDIS_URL = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(small_inline.REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    queue = jobs.rq_queue()
    queue.empty()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(town_cadre).get("/members/?export=xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.QUEUED and queue.count == 1

    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == PartyMember.objects.count()

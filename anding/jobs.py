"""Long work in the background: a list's export of more than `EXPORT_INLINE_ROWS` rows, and the work an app
registers as a job kind (`registry.register("job:<kind>", runner)`: the roster import of a large file).

The request that asks for it records a `Job` and answers at once with the job's page, which shows the progress and,
when the job is done, the download or what it did. Where the job runs is `JOB_QUEUE`:

- ``"rq"``: on the RQ queue of the Redis at `REDIS_URL`, worked by `manage.py run_jobs` (production);
- ``"thread"``: in a thread of the web process once the request's transaction commits (`make run`: nothing to
  install or start; a job dies with the process that runs it);
- ``"inline"``: at once, in the request (the tests).

A job repeats the list exactly as its user would see it now: the list's view is set up again with a request for the
same address and filters, by the same user, so scope and permissions are those of the view itself. The workbook is
written row by row (openpyxl's write-only mode) into `JOB_FILE_DIR` (MEDIA_ROOT/jobs) under a random name; the file and the job are
deleted after `JOB_KEEP_HOURS`.
"""

import datetime
import logging
import threading
import uuid
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone
from openpyxl import Workbook

from . import audit, registry
from .exports import safe_cell
from .models import Job

__all__ = ["job_file", "progress", "purge_old_jobs", "rq_queue", "run", "start", "start_export"]

logger = logging.getLogger(__name__)
CHUNK = 2000  # rows read, written and counted at a time


def start_export(request, *, title: str, total: int) -> Job:
    """Record the export of the list `request` asks for (its address and filters) as a job, and start it."""
    query = request.GET.copy()
    for name in ("page", "export"):
        query.pop(name, None)
    return start(request.user, title=title, path=f"{request.path}?{query.urlencode()}", total=total)


def start(user, *, title: str, path: str, total: int, kind: str = Job.EXPORT, **result) -> Job:
    """Record a job of `kind` for `user` (`path`: the page it comes from; `result`: what the runner needs to start
    with) and start it on the queue."""
    purge_old_jobs()
    job = Job.objects.create(user=user, kind=kind, title=title[:200], path=path[:2000], total=total, result=result)
    queue = settings.JOB_QUEUE
    if queue == "inline":
        run(job.pk)
    elif queue == "rq":
        transaction.on_commit(lambda: rq_queue().enqueue(run, job.pk, job_timeout=3600))
    else:
        transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(job.pk,), daemon=True).start())
    return job


def progress(job: Job, done: int) -> None:
    """Show `done` of the job's total on its page."""
    Job.objects.filter(pk=job.pk).update(done=done)


def rq_queue():
    from redis import Redis
    from rq import Queue

    return Queue("anding", connection=Redis.from_url(settings.REDIS_URL))


def _in_thread(job_id):
    try:
        run(job_id)
    finally:
        connections.close_all()  # the thread's own connections (close_old_connections kept them open for CONN_MAX_AGE)


def job_file(job: Job) -> Path:
    return Path(settings.JOB_FILE_DIR or Path(settings.MEDIA_ROOT) / "jobs") / job.file


def run(job_id) -> None:
    """Do the job: its kind's runner returns the fields to keep when it is done."""
    job = Job.objects.select_related("user").get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        return  # already run (a retried delivery)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        runner = _export if job.kind == Job.EXPORT else registry.providers(f"job:{job.kind}")[0]
        finished = runner(job)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now(), **finished)
    except Exception:
        logger.exception("Background job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now())


def _export(job: Job) -> dict:
    """Write the list's rows to a workbook, counting them as they go."""
    view = _list_view(job)
    queryset = view.get_queryset()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(view.model._meta.verbose_name_plural)[:31])
    sheet.append(view.table(()).sheet("")[1])
    # One statement read through a cursor, CHUNK rows at a time: no OFFSET that walks further with each chunk.
    objects, done = queryset.iterator(chunk_size=CHUNK), 0
    while chunk := list(islice(objects, CHUNK)):
        for row in view.table(chunk).sheet("")[2]:
            sheet.append([safe_cell(value) for value in row])
        done += len(chunk)
        progress(job, done)
    job.file = f"{uuid.uuid4().hex}.xlsx"
    job_file(job).parent.mkdir(parents=True, exist_ok=True)
    workbook.save(job_file(job))
    stamp = timezone.localtime().strftime("-%Y%m%d-%H%M")
    audit.record("export_done", actor=job.user, obj=job, detail={"list": view.export_name, "rows": done}, request=None)
    return {"done": done, "file": job.file, "filename": f"{view.export_name}{stamp}.xlsx"}


def _list_view(job: Job):
    """The list's view, set up for the job's user and address as if they had opened it."""
    request = HttpRequest()
    request.method = "GET"
    request.path, _, query = job.path.partition("?")
    request.path_info = request.path
    request.GET = QueryDict(query)
    request.user = job.user
    match = resolve(request.path)
    view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def purge_old_jobs() -> None:
    """Delete the jobs (and their files) older than JOB_KEEP_HOURS: housekeeping at each new job."""
    since = timezone.now() - datetime.timedelta(hours=settings.JOB_KEEP_HOURS)
    for job in Job.objects.filter(created_at__lt=since):
        if job.file:
            job_file(job).unlink(missing_ok=True)
        job.delete()

"""Synthetic data at scale (`manage.py generate_scale_data`, and the benchmark's district): a town, a district or a
whole city with years of records, written in bulk in one transaction that holds the tree lock, deterministic for a
seed (and the day it runs: the records end at the current month).

All generated organizations hang under one root whose code is the prefix (`SCALE`, or `BENCH` for the benchmark);
the root's `aliases` note the preset, seed and years. A second run on a database that holds the prefix's tree
refuses, unless `reset` is given: then the tree and everything recorded under it are deleted first (in the same
transaction), its accounts kept and reused, since the audit trail may name them. Writes bypass the workflow
actions (no audit events, no notifications): this is test data, for a database of its own.
"""

import datetime
import sys
import time
from dataclasses import dataclass, field
from functools import partial

from django.core.management.base import OutputWrapper
from django.db import connection
from django.utils import timezone

from anding import freshness

from ..models import Organization
from ..tree import tree_lock
from .keys import checked_at_end
from .org import PASSWORD, insert_tree, insert_users, persona_names
from .outreach import insert_outreach
from .people import insert_members
from .plan import PRESETS, Preset, benchmark_preset, plan_tree
from .records import insert_records, months_back
from .reset import delete_generated

__all__ = ["PASSWORD", "PRESETS", "AlreadyGenerated", "Progress", "Result", "benchmark_preset", "generate"]

# ID numbers: area 12 (scale) or 13 (benchmark) then the town's number; the demo's area is 110115.
AREAS = {"SCALE": "12", "BENCH": "13"}


class AlreadyGenerated(Exception):
    pass


class Progress:
    """A plain progress line on a stream (stderr): the stage, done/total, and the stage's time when it ends. On a
    terminal the line is redrawn in place; elsewhere (logs, tests) only the finished stages are written."""

    def __init__(self, stream=None):
        stream = stream if stream is not None else sys.stderr
        self.live = getattr(stream, "isatty", lambda: False)()
        # A command's OutputWrapper would end every write with a newline; "\r" redraws need none.
        self._write = partial(stream.write, ending="") if isinstance(stream, OutputWrapper) else stream.write
        self._flush = getattr(stream, "flush", lambda: None)
        self.name, self.total, self.done, self.started = "", 0, 0, 0.0

    def stage(self, name: str, total: int) -> None:
        self.finish()
        self.name, self.total, self.done, self.started = name, total, 0, time.perf_counter()

    def advance(self, count: int) -> None:
        self.done += count
        if self.live:
            self._write(f"\r  {self.name}: {self.done:,}/{self.total:,}")
            self._flush()

    def finish(self) -> None:
        if self.name:
            line = f"  {self.name}: {self.done:,}/{self.total:,} in {time.perf_counter() - self.started:.1f} s"
            self._write(("\r" if self.live else "") + line + "\n")
            self.name = ""


@dataclass
class Result:
    preset: str
    seed: int
    years: int
    counts: dict = field(default_factory=dict)
    personas: dict = field(default_factory=dict)
    seconds: float = 0.0


def marker(preset: Preset, seed: int, years: int) -> str:
    return f"generated preset={preset.name} seed={seed} years={years}"


def existing(prefix: str):
    """The generated root of `prefix`, if any."""
    return Organization._base_manager.filter(code=prefix, parent__isnull=True).first()


def generate(
    preset: Preset,
    *,
    seed: int = 1,
    years: int | None = None,
    prefix: str = "SCALE",
    reset: bool = False,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Result:
    progress = progress or Progress()
    years = preset.years if years is None else years
    today = today or timezone.localdate()
    started = time.perf_counter()
    result = Result(preset.name, seed, years)
    with tree_lock(), freshness.suspended():
        root = existing(prefix)
        if root is not None:
            if not reset:
                raise AlreadyGenerated(
                    f"This database already holds generated data under {prefix} ({root.aliases or 'unknown preset'}); "
                    "run again with --reset to delete it first."
                )
            delete_generated(root, prefix, progress)
        with checked_at_end():  # the foreign keys, checked when the block ends (a third of the time at commit)
            nodes = _insert(preset, prefix, seed, years, today, result.counts, progress)
            progress.stage("foreign keys", 1)
        progress.advance(1)
        progress.stage("commit", 1)
    progress.advance(1)
    progress.finish()
    if connection.vendor == "postgresql":
        # VACUUM sets the visibility map, without which no index-only scan (the tree's and lists' counts) skips the
        # table; it cannot run inside a transaction (a test's), where ANALYZE alone gives the planner its figures.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        progress.stage(command, 1)
        with connection.cursor() as cursor:
            cursor.execute(command)
        progress.advance(1)
        progress.finish()
    result.personas = persona_names(nodes, prefix)
    result.seconds = time.perf_counter() - started
    return result


def _insert(preset: Preset, prefix: str, seed: int, years: int, today, counts: dict, progress: Progress) -> list:
    """Write the tree, its accounts, members and records; count them in `counts`; return the tree's nodes."""
    tree = plan_tree(preset, prefix, seed)
    nodes = insert_tree(tree, progress)
    Organization._base_manager.filter(pk=tree.pk).update(aliases=marker(preset, seed, years))
    months = months_back(today, years)
    users = insert_users(nodes, prefix, months[0] if months else today, progress)
    towns = [n for n in nodes if n.kind == "town"]
    for kind in ("city", "district", "town", "general", "village"):
        counts[kind] = sum(1 for n in nodes if n.kind == kind)
    counts["accounts"] = len(users)
    counts["members"] = insert_members(towns, AREAS.get(prefix, "14"), seed, today, progress)
    counts.update(insert_records(towns, users, seed, today, years, progress))
    counts.update(insert_outreach(towns, users, prefix, seed, months, progress))
    return nodes

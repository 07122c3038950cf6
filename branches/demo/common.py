"""What the parts of the demo's branch life share: dates, seeds, counters and the demo town as loaded."""

import datetime
import random
from collections import Counter, defaultdict

from django.utils import timezone

from ..choices import OrgKind, Role
from ..models import Organization, PartyMember, Position
from ..months import add_months
from ..tree import subtree_q
from .story import BATCH, MONTHS_BACK, SEED


def _last_day(month: datetime.date) -> int:
    return (add_months(month, 1) - datetime.timedelta(days=1)).day


def day_of(month: datetime.date, day: int) -> datetime.date:
    return month.replace(day=max(1, min(day, _last_day(month))))


def season_of(month: datetime.date) -> str:
    return {12: "winter", 1: "winter", 2: "winter"}.get(month.month) or ("spring", "summer", "autumn")[
        (month.month - 3) // 3
    ]


def quarter_of(month: datetime.date) -> int:
    return (month.month - 1) // 3 + 1


def short_name(org: Organization) -> str:
    return org.name.removesuffix("村党支部")


def seeded(*key) -> random.Random:
    return random.Random("-".join([SEED, *map(str, key)]))


class Counts:
    """What a step did, for its line of output."""

    def __init__(self):
        self.made = Counter()

    def add(self, key, n=1):
        self.made[str(key)] += n


class Life:
    """The demo town, its officers and members, and the clock of the story."""

    def __init__(self, town: Organization, today: datetime.date):
        self.town = town
        self.today = today
        real_today = timezone.localdate()
        self.real_today = real_today
        if today == real_today:
            self.now = timezone.now()
        else:
            self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(18, 0)))
        self.current = today.replace(day=1)
        self.months = [add_months(self.current, -k) for k in range(MONTHS_BACK, -1, -1)]
        nodes = list(
            Organization.objects.filter(subtree_q(town, strict=True)).select_related("parent").order_by("code")
        )
        self.generals = [n for n in nodes if n.kind == OrgKind.GENERAL]
        self.villages = [n for n in nodes if n.kind == OrgKind.VILLAGE and n.parent.kind == OrgKind.GENERAL]
        self.villages_of = defaultdict(list)
        for village in self.villages:
            self.villages_of[village.parent_id].append(village)
        self._load_people()
        # Timestamps to move back once the services have run: model -> {pk: {field: value}}.
        self.backdate = defaultdict(lambda: defaultdict(dict))

    def _load_people(self):
        users = {}  # one instance per user, so that each caches its positions once

        def user(u):
            return users.setdefault(u.pk, u)

        positions = (
            Position.objects.active(self.today)
            .filter(subtree_q(self.town, "organization"))
            .select_related("user")
            .prefetch_related("liaison_villages")
            .order_by("user__username", "pk")
        )
        self.town_user = None
        self.secretary = {}  # general branch or village pk -> user
        self.deputy = {}  # village pk -> liaison deputy
        self.officers = defaultdict(list)  # general branch pk -> users with a position on it
        for position in positions:
            person = user(position.user)
            org_id = position.organization_id
            if position.role == Role.TOWN_CADRE and org_id == self.town.pk:
                if self.town_user is None or person.username == "town":
                    self.town_user = person
            elif position.role in (Role.GENERAL_SECRETARY, Role.VILLAGE_SECRETARY):
                self.secretary.setdefault(org_id, person)
            if position.role == Role.DEPUTY_SECRETARY:
                for village in position.liaison_villages.all():
                    self.deputy.setdefault(village.pk, person)
            if position.role in (Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER):
                if person not in self.officers[org_id]:
                    self.officers[org_id].append(person)
        self.members = defaultdict(list)
        for member in (
            PartyMember.objects.current()
            .filter(branch__in=self.villages)
            .only("id", "name", "joined_on", "status", "branch_id")
            .order_by("id")
        ):
            self.members[member.branch_id].append(member)

    # Time ----------------------------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def chain(self, times: list[datetime.datetime]) -> list[datetime.datetime]:
        """`times` in order, none in the future: clamped to now, each at least a minute after the one before."""
        result = list(times)
        limit = self.now - datetime.timedelta(minutes=1)
        for i in range(len(result) - 1, -1, -1):
            result[i] = min(result[i], limit)
            limit = result[i] - datetime.timedelta(minutes=1)
        return result

    def stamp(self, obj_or_model, pk=None, **fields):
        model = obj_or_model if pk is not None else type(obj_or_model)
        pk = pk if pk is not None else obj_or_model.pk
        self.backdate[model][pk].update(fields)

    def flush_backdates(self) -> int:
        """Write the collected timestamps with bulk updates (queryset updates: no service, no audit event)."""
        done = 0
        for model, rows in self.backdate.items():
            by_fields = defaultdict(list)
            for pk, values in rows.items():
                by_fields[tuple(sorted(values))].append((pk, values))
            for names, items in by_fields.items():
                objs = []
                for pk, values in items:
                    obj = model(pk=pk)
                    for name, value in values.items():
                        setattr(obj, name, value)
                    objs.append(obj)
                model.objects.bulk_update(objs, list(names), batch_size=BATCH)
                done += len(objs)
        self.backdate.clear()
        return done


# Tasks ------------------------------------------------------------------------------------------------------


def backdate_case(life: Life, case, first: datetime.date, last: datetime.date) -> None:
    """Move the case's history from "now" to the story's dates: its steps spread from `first` to `last`."""
    events = list(case.events.order_by("at", "id"))
    last = max(first, min(last, life.today))
    span = (last - first).days
    times = [
        life.at(first + datetime.timedelta(days=span * n // max(1, len(events) - 1)), 9 + n % 8)
        for n in range(len(events))
    ]
    for event, at in zip(events, life.chain(times), strict=True):
        life.stamp(event, at=at)
    life.stamp(case, created_at=times[0] if times else life.now)

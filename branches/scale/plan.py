"""The shape of the generated tree, decided in Python before anything is written: the presets, every node with
its code, name and parent, and the nested-set fields (tree_id, lft, rght, level) that django-mptt would compute one
insert at a time. Siblings are ordered by code, as `Organization.MPTTMeta.order_insertion_by` orders them."""

import random
from dataclasses import dataclass, field

from ..choices import OrgKind

__all__ = ["PRESETS", "Node", "Preset", "plan_tree"]


@dataclass(frozen=True)
class Preset:
    """How many of each level: `districts` 0 means no city (the root is a district, or with `towns` 1 a town);
    `generals` and `villages` are the choices drawn per town and per general branch (a tuple of tuples fixes them)."""

    name: str
    districts: int
    towns: int
    generals: tuple = (3, 4, 4, 4, 5)
    villages: tuple = (2, 3, 3, 4)
    members: tuple = (60, 140)
    years: int = 10
    town_root: bool = True  # one town: the town is the root (False: a district of one town)

    @property
    def root_kind(self) -> str:
        if self.districts:
            return OrgKind.CITY
        return OrgKind.TOWN if self.towns == 1 and self.town_root else OrgKind.DISTRICT


# Anding (安定镇): 6 general branches of 5, 6, 7, 5, 5, 5 villages, about 49 members each (1,617 in all).
ANDING = ((5, 6, 7, 5, 5, 5),)

PRESETS = {
    # A city of 16 districts, 330 towns, ~1,300 general branches, ~4,000 villages, ~400,000 members.
    "city": Preset("city", districts=16, towns=330),
    # One sixteenth of it: a district of 21 towns.
    "district": Preset("district", districts=0, towns=21),
    # Anding itself: one town, 6 general branches, 33 villages, 1,617 members.
    "town": Preset("town", districts=0, towns=1, generals=ANDING, members=(49, 49)),
}


def benchmark_preset(towns: int) -> Preset:
    """`manage.py benchmark --towns N`: a district (or a town) of N Anding-shaped towns and one year of records."""
    return Preset(
        f"bench-{towns}", districts=0, towns=towns, generals=ANDING, members=(50, 50), years=1, town_root=False
    )


@dataclass
class Node:
    kind: str
    code: str
    name: str
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    members: int = 0
    index: int = 0  # the town's or the district's number, 1-based
    level: int = 0
    lft: int = 0
    rght: int = 0
    pk: int | None = None


def plan_tree(preset: Preset, prefix: str, seed: int) -> Node:
    """The whole tree of `preset`, codes starting with `prefix`, drawn from `seed`; nested sets filled in."""
    rng = random.Random(f"{seed}-tree")
    label = {"city": "市委", "district": "区委", "town": "镇党委"}[preset.root_kind]
    root = Node(preset.root_kind, prefix, f"{prefix}规模测试{label}")
    if preset.districts:
        parents = []
        for d in range(1, preset.districts + 1):
            district = Node(OrgKind.DISTRICT, f"{prefix}-D{d:02d}", f"第{d:02d}区委", root, index=d)
            root.children.append(district)
            parents.append(district)
        # The towns spread evenly over the districts, in order.
        homes = [parents[t * preset.districts // preset.towns] for t in range(preset.towns)]
    else:
        homes = [root] * preset.towns
    for t in range(1, preset.towns + 1):
        if root.kind == OrgKind.TOWN:
            town = root
            town.index = 1
        else:
            town = Node(OrgKind.TOWN, f"{prefix}-T{t:03d}", f"第{t:03d}镇党委", homes[t - 1], index=t)
            homes[t - 1].children.append(town)
        _fill_town(town, preset, rng)
    _number(root)
    return root


def _fill_town(town: Node, preset: Preset, rng: random.Random) -> None:
    if isinstance(preset.generals[0], tuple):
        layout = list(preset.generals[0])
    else:
        layout = [rng.choice(preset.villages) for _ in range(rng.choice(preset.generals))]
    for g, count in enumerate(layout, start=1):
        general = Node(OrgKind.GENERAL, f"{town.code}-G{g}", f"第{g}联村党总支", town, index=town.index)
        town.children.append(general)
        for v in range(1, count + 1):
            village = Node(
                OrgKind.VILLAGE,
                f"{general.code}-V{v:02d}",
                f"{g}-{v}村党支部",
                general,
                members=rng.randint(*preset.members),
                index=town.index,
            )
            general.children.append(village)


def _number(root: Node) -> None:
    """lft/rght/level by a depth-first walk, children in code order (iterative: no recursion limit)."""
    counter = 0
    stack = [(root, 0, False)]
    while stack:
        node, level, done = stack.pop()
        counter += 1
        if done:
            node.rght = counter
            continue
        node.level, node.lft = level, counter
        node.children.sort(key=lambda n: n.code)
        stack.append((node, level, True))
        stack.extend((c, level + 1, False) for c in reversed(node.children))


def walk(root: Node):
    """Every node, parents before children, in tree order."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))

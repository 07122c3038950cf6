"""`manage.py check_tree [--fix]`: verify the nested sets of the organization tree, and repair them with --fix."""

from collections import defaultdict
from typing import NamedTuple

from django.core.management.base import BaseCommand, CommandError

from branches.models import Organization
from branches.models.organization import ROOT_KINDS, allowed_parent_kinds
from branches.tree import tree_lock


class Node(NamedTuple):
    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int
    kind: str
    name: str

    def __str__(self):
        return f"#{self.pk} {self.name} (tree {self.tree_id}, {self.lft}-{self.rght}, level {self.level})"


def tree_problems() -> tuple[int, list[str]]:
    """The number of nodes, and every inconsistency of the tree, one line each (none when the tree is sound).

    One query reads all nodes; the checks run in Python on the parent links, which are the truth that
    `rebuild()` restores the nested sets from.
    """
    nodes = {
        row[0]: Node(*row)
        for row in Organization._tree_manager.order_by().values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level", "kind", "name"
        )
    }
    children = defaultdict(list)
    roots = []
    problems = []
    for node in nodes.values():
        if node.parent_id is None:
            roots.append(node)
        elif node.parent_id in nodes:
            children[node.parent_id].append(node)
        else:
            problems.append(f"{node}: its parent #{node.parent_id} does not exist")

    # Descendants counted along the parent links; nodes not reached from a root sit on a cycle of parents.
    descendants = {}
    reached = set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                descendants[node.pk] = sum(1 + descendants[c.pk] for c in children[node.pk])
                continue
            reached.add(node.pk)
            stack.append((node, True))
            stack.extend((c, False) for c in children[node.pk] if c.pk not in reached)
    for pk in sorted(nodes.keys() - reached):
        if nodes[pk].parent_id in nodes:
            problems.append(f"{nodes[pk]}: its chain of parents never reaches a root (it loops or breaks)")

    trees = defaultdict(list)
    for root in roots:
        trees[root.tree_id].append(root)
    for tree_id, same in sorted(trees.items()):
        if len(same) > 1:
            problems.append(f"tree {tree_id} has {len(same)} roots: " + ", ".join(str(r) for r in same))

    for node in nodes.values():
        parent = nodes.get(node.parent_id)
        if node.lft >= node.rght:
            problems.append(f"{node}: lft is not less than rght")
        width = node.rght - node.lft - 1
        if width % 2:
            problems.append(f"{node}: rght - lft - 1 = {width} is odd")
        if node.pk in descendants and width >= 0 and width % 2 == 0 and width != 2 * descendants[node.pk]:
            problems.append(
                f"{node}: interval holds {width // 2} descendants, the parent links give {descendants[node.pk]}"
            )
        if node.parent_id is None:
            if node.level != 0:
                problems.append(f"{node}: a root must have level 0")
            if node.kind not in ROOT_KINDS:
                problems.append(f"{node}: a {node.kind} cannot stand at the top of the tree")
        elif parent is not None:
            if node.level != parent.level + 1:
                problems.append(f"{node}: level should be {parent.level + 1} (one below its parent {parent})")
            if node.tree_id != parent.tree_id:
                problems.append(f"{node}: tree_id differs from its parent {parent}")
            elif not (parent.lft < node.lft and node.rght < parent.rght):
                problems.append(f"{node}: interval is not strictly inside its parent's {parent}")
            try:
                allowed = allowed_parent_kinds(node.kind)
            except ValueError:
                problems.append(f"{node}: unknown kind {node.kind!r}")
            else:
                if parent.kind not in allowed:
                    problems.append(f"{node}: a {node.kind} cannot be placed under a {parent.kind} ({parent})")

    # Siblings (the roots of a tree included) must not overlap.
    for siblings in [*children.values(), *trees.values()]:
        ordered = sorted(siblings, key=lambda n: (n.tree_id, n.lft))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if before.tree_id == after.tree_id and after.lft <= before.rght:
                problems.append(f"{after}: interval overlaps its sibling {before}")

    # Within a tree, the lft and rght values are exactly 1 .. 2n.
    by_tree = defaultdict(list)
    for node in nodes.values():
        by_tree[node.tree_id].extend((node.lft, node.rght))
    for tree_id, values in sorted(by_tree.items()):
        if sorted(values) != list(range(1, len(values) + 1)):
            problems.append(f"tree {tree_id}: lft and rght values are not exactly 1 to {len(values)}")
    return len(nodes), problems


class Command(BaseCommand):
    help = "Verify the organization tree (nested sets, levels, parent kinds); with --fix, rebuild it from the parent links."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rebuild the nested sets from the parent links (under the tree lock)."
        )

    def handle(self, *args, fix=False, **options):
        problems = self.report()
        if problems and fix:
            self.stdout.write("Rebuilding the tree from the parent links ...")
            with tree_lock():
                Organization.objects.rebuild()
                problems = self.report()
            if problems:
                self.stdout.write("These problems remain: a rebuild cannot repair them; correct the nodes named above.")
        if problems:
            raise CommandError(f"The organization tree has {len(problems)} problem(s).")

    def report(self) -> list[str]:
        count, problems = tree_problems()
        for line in problems:
            self.stdout.write(self.style.ERROR(line))
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"The organization tree is sound ({count} nodes)."))
        return problems

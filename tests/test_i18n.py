"""Translations complete, and templates that keep to the Content Security Policy and load nothing from outside."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PO_FILE = BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATES = sorted((BASE / "templates").rglob("*.html"))


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """A small reader of gettext catalogues: flags, context, msgid, plural and the msgstr forms."""
    entries, entry, target = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if entry is None or (entry.msgstr and line.startswith(("#", "msgid ", "msgctxt "))):
            entry, target = Entry(line=number), None
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(target, int):
                entry.msgstr[target] += value
            elif target is not None:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(entry, keyword, _unquote(rest))
                target = keyword
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                target = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstr[target] = _unquote(rest)
    return [e for e in entries if not e.obsolete]


@pytest.fixture(scope="module")
def catalogue():
    if not PO_FILE.exists():
        pytest.skip(f"{PO_FILE.relative_to(BASE)} does not exist yet (run `make messages`)")
    return parse_po(PO_FILE)


def describe(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


def test_every_message_is_translated(catalogue):
    messages = [e for e in catalogue if e.msgid]
    untranslated = [describe(e) for e in messages if not e.msgstr or not all(e.msgstr.values())]

    assert messages, "the catalogue holds no messages"
    assert not untranslated, f"{len(untranslated)} untranslated: " + "; ".join(untranslated[:20])


def test_the_compiled_catalogue_is_up_to_date(catalogue):
    """django.mo (what Django reads) says what django.po says: nobody forgot `make messages` after an edit."""
    import gettext

    with open(PO_FILE.with_suffix(".mo"), "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for e in catalogue:
        if not e.msgid or e.obsolete or "fuzzy" in e.flags:
            continue
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
            if got != e.msgstr.get(0):
                stale.append(describe(e))
    assert not stale, f"{len(stale)} stale in django.mo: " + "; ".join(stale[:10])


def test_no_translation_is_fuzzy(catalogue):
    fuzzy = [describe(e) for e in catalogue if "fuzzy" in e.flags]

    assert not fuzzy, f"{len(fuzzy)} fuzzy: " + "; ".join(fuzzy[:20])


def test_plural_messages_have_every_form(catalogue):
    header = next((e for e in catalogue if e.msgid == ""), None)
    assert header is not None, "the catalogue has no header"
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    assert match, "the header has no Plural-Forms"
    forms = set(range(int(match.group(1))))
    incomplete = [describe(e) for e in catalogue if e.msgid_plural is not None and set(e.msgstr) != forms]

    assert not incomplete, "; ".join(incomplete[:20])


def test_placeholders_survive_translation(catalogue):
    """A translation keeps the placeholders of its source (a lost `%(name)s` breaks the page or hides a figure).

    A plural message is checked against its plural source: Chinese has one form, which serves every count.
    """
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    broken = [
        describe(e)
        for e in catalogue
        if e.msgid
        and any(
            text and set(pattern.findall(e.msgid_plural or e.msgid)) != set(pattern.findall(text))
            for text in e.msgstr.values()
        )
    ]

    assert not broken, "; ".join(broken[:20])


def test_parse_po_reads_flags_plurals_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "Saved %(name)s."\nmsgstr "已保存%(name)s。"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] ""\n"多个"\n\n'
        '#~ msgid "old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    header, saved, plural = parse_po(po)

    assert "nplurals=1" in header.msgstr[0]
    assert saved.flags == {"fuzzy", "python-format"}
    assert (plural.msgid_plural, plural.msgstr) == ("many", {0: "多个"})


# Templates and the Content Security Policy ---------------------------------------------------------------------

EXTERNAL = re.compile(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
TITLE_BLOCK = re.compile(r"{% block title %}(.*?){% endblock", re.DOTALL)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_templates_exist():
    assert TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(BASE / "templates")))
def test_template_loads_nothing_from_outside(path):
    text = path.read_text(encoding="utf-8")

    assert not EXTERNAL.findall(text), "external URLs in src/href/action: a closed network cannot load them"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(BASE / "templates")))
def test_template_keeps_to_the_content_security_policy(path):
    text = path.read_text(encoding="utf-8")

    assert not [s for s in INLINE_SCRIPT.findall(text) if s.strip()], "inline <script> content"
    assert not STYLE_ATTRIBUTE.search(text), "style= attribute"
    assert not STYLE_ELEMENT.search(text), "<style> element"
    assert not EVENT_HANDLER.search(text), "inline event handler (onclick= ...)"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(BASE / "templates")))
def test_template_title_is_text(path):
    """The title block is the page's <title>: markup there is rendered (and paid for) a second time, unseen. The
    dashboard once drew all its sections into it."""
    titles = TITLE_BLOCK.findall(path.read_text(encoding="utf-8"))

    assert not [t for t in titles if "<" in t], "markup in the title block"


def test_pages_are_in_chinese_by_default(client_as, tree, village_secretary):
    response = client_as(village_secretary).get("/members/")

    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_english_is_available(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/members/"})

    assert response.status_code == 302
    page = client.get("/members/")
    assert page["Content-Language"] == "en"
    assert "Party members" in page.content.decode()

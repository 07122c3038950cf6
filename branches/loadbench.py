"""`make bench` (`manage.py bench`): the portal served as in production, measured per persona and page.

Queries are counted in-process with the Django test client (as `manage.py benchmark` does); times come from a
gunicorn server started here on the same database with DEBUG off, a fresh SECRET_KEY and the FIELD_ENCRYPTION_KEY
of this process (the key the generated data was written with: with no FIELD_ENCRYPTION_KEY set, the one derived
from the development SECRET_KEY, as `generate_scale_data` used). The load comes from wrk (Debian's `wrk`), one
connection and then eight, for a few seconds each; its Lua hook prints the p50/p95 and counts. Each persona logs
in over HTTP with the login form. Two references in the same run: the stock admin changelist of members (a
superuser `bench-admin` made for the run, with a TOTP device, listed in BREAK_GLASS_SUPERUSERS for this server
only, and demoted again at the end), and the bare page of branches/views/bench.py (served only with BENCH on).
"""

import atexit
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anding.models import User

from . import scale
from .benchmark import PAGES
from .choices import OrgKind
from .models import Organization, PartyMember, Position

__all__ = ["LEVELS", "run", "write_table"]

LEVELS = [OrgKind.CITY, OrgKind.DISTRICT, OrgKind.TOWN, OrgKind.GENERAL, OrgKind.VILLAGE]
ADMIN = "bench-admin"
ADMIN_PAGE = "/admin/branches/partymember/"
BARE_PAGE = "/bench/bare/"
BENCH_REDIS = "redis://127.0.0.1:6379/15"
LUA = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  if status >= 300 then moved = (moved or 0) + 1 end
end
done = function(summary, latency, requests)
  local e, bad = summary.errors, 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("moved") or 0) end
  io.write(string.format('BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, '
    .. '"bad_status": %d, "errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, bad, e.connect + e.read + e.write + e.timeout))
end
"""


def personas(prefix: str = "SCALE") -> list[tuple[str, str]]:
    """(level, username) of the first account at each level of the generated tree (`scale-city`, `scale-d01`,
    `scale-t001`, `scale-g001-1`, `scale-v001-1-01` on the city preset); levels the preset lacks are left out."""
    root = scale.existing(prefix)
    if root is None:
        raise RuntimeError(f"No generated data under {prefix}: run manage.py generate_scale_data first.")
    found = []
    for kind in LEVELS:
        position = (
            Position.objects.filter(organization__tree_id=root.tree_id, organization__kind=kind)
            .order_by("organization__lft", "pk")
            .select_related("user")
            .first()
        )
        if position is not None:
            found.append((str(kind), position.user.username))
    return found


def dataset(prefix: str = "SCALE") -> dict:
    root = scale.existing(prefix)
    nodes = Organization._base_manager.filter(tree_id=root.tree_id)
    return {
        "preset": root.aliases,
        "nodes": nodes.count(),
        "villages": nodes.filter(kind=OrgKind.VILLAGE).count(),
        "members": PartyMember._base_manager.filter(branch__tree_id=root.tree_id).count(),
    }


def count_queries(username: str, pages: list[str]) -> dict[str, dict]:
    """{page: {status, queries}} of one request each, in-process."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    for page in pages:
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        counts[page] = {"status": response.status_code, "queries": len(queries)}
    return counts


def bench_admin() -> str:
    """The run's superuser with a confirmed TOTP device; returns the device's key (hex) for the second step."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = User.objects.get_or_create(username=ADMIN, defaults={"full_name": "bench"})
    user.is_superuser = user.is_staff = user.is_active = True
    user.set_password(scale.PASSWORD)
    user.save()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return device.key


def retire_admin() -> None:
    """No superuser left behind: check_duties refuses one outside BREAK_GLASS_SUPERUSERS."""
    User.objects.filter(username=ADMIN).update(is_superuser=False, is_staff=False, is_active=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_cache() -> str:
    """The Redis through which the bench server's workers share their cache and sessions, as production's app
    servers do (docs/DEPLOYMENT.md): database 15 of the local Redis, emptied first, so that nothing kept by another
    run or from other data is served. Empty when no Redis answers: the workers then keep nothing across processes."""
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        return ""
    return BENCH_REDIS


def start_server(workers: int = 2, redis_url: str = ""):
    """gunicorn on a free port with production settings, sharing the cache and sessions through `redis_url` when
    given; returns (process, base URL)."""
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH": "1",
        "BREAK_GLASS_SUPERUSERS": ADMIN,
        "REDIS_URL": redis_url,
    }
    if connection.vendor != "postgresql":
        raise RuntimeError("The bench serves from PostgreSQL: set DATABASE_URL=postgres://...")
    env["DATABASE_URL"] = database_url()
    # The manifest that production's static storage needs (collected with the same settings), in a directory of the
    # server's own: collected into the project's, it rewrote files that a test run beside it was serving.
    env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="bench-static-")
    atexit.register(shutil.rmtree, env["STATIC_ROOT"], True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    cmd = [sys.executable, "-m", "gunicorn", "anding.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)]
    process = subprocess.Popen(cmd + ["--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def database_url() -> str:
    """The URL of the database this process uses (under pytest, the test database), for the server."""
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _post_form(opener, url: str, fields: dict):
    html = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    return opener.open(urllib.request.Request(url, data, headers={"Referer": url}), timeout=120)


def login(base: str, username: str, totp_key: str | None = None) -> str:
    """Sign in through the login form (and the second step for the admin); returns the Cookie header: the session's
    and the CSRF cookie, as a browser sends them."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    response = _post_form(opener, base + "/accounts/login/", {"username": username, "password": scale.PASSWORD})
    if totp_key:
        from django_otp.oath import totp

        _post_form(opener, response.geturl(), {"code": f"{totp(bytes.fromhex(totp_key)):06d}"})
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"{username} could not sign in")
    return "; ".join(f"{name}={cookies[name]}" for name in ("sessionid", "csrftoken") if name in cookies)


def wrk(url: str, cookie: str, clients: int, seconds: float, script: str) -> dict:
    threads = min(clients, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "60s"]
    url = urllib.parse.quote(url, safe=":/?=&%")
    out = subprocess.run(cmd + ["-H", f"Cookie: {cookie}", "-s", script, url], capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed on {url}: {out.stdout}{out.stderr}")
    return json.loads(line[6:])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page, say) is a failure here, not a page to follow


def once(url: str, cookie: str) -> dict:
    """One request, timed: the smoke test's stand-in for wrk (same keys)."""
    request = urllib.request.Request(urllib.parse.quote(url, safe=":/?=&%"), headers={"Cookie": cookie})
    started = time.perf_counter()
    try:
        status = urllib.request.build_opener(_NoRedirect).open(request, timeout=60).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    ms = round(1000 * (time.perf_counter() - started), 2)
    seconds = ms / 1000
    return dict(requests=1, seconds=seconds, p50_ms=ms, p95_ms=ms, bad_status=int(status >= 300), errors=0)


def measure(url: str, cookie: str, clients: int, seconds: float, script: str) -> dict:
    """wrk for `seconds`, `seconds` = 0: one request. A page too slow to answer once in time is given longer."""
    if not seconds:
        result = once(url, cookie)
    else:
        result = wrk(url, cookie, clients, seconds, script)
        if result["requests"] < clients:
            result = wrk(url, cookie, clients, max(10, 4 * seconds), script)
    result["per_second"] = round(result["requests"] / result["seconds"], 1) if result["seconds"] else 0.0
    return result


def settle(result: dict) -> None:
    """Wait out what several clients left in flight. When wrk stops, each client's last request is still queued or
    served, for about one of their latencies: a one-client run started at once timed its first requests behind them
    (the bare page's p95 of 1,656 ms, right after the admin changelist's eight clients, whose p95 was 4.4 s)."""
    time.sleep(min(result["p95_ms"] / 1000, 10) + 0.1)


def run(*, seconds: float = 3, clients=(1, 8), pages=None, levels=None, stdout=sys.stdout, prefix="SCALE") -> dict:
    """The whole bench: query counts, then wrk per persona and page and the two references (with `seconds` 0,
    one request each instead: the smoke test). Returns the JSON."""
    if seconds and shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk; `make bench` does it).")
    pages = list(pages or PAGES)
    people = personas(prefix)
    village_user = people[-1][1]
    people = [(level, name) for level, name in people if not levels or level in levels]
    redis_url = shared_cache()
    server = "gunicorn 2 sync workers, DEBUG off" + (", cache and sessions in Redis" if redis_url else "")
    result = {
        "machine": machine(),
        "dataset": dataset(prefix),
        "settings": {"seconds": seconds, "clients": list(clients), "server": server},
        "rows": [],
    }
    result["settings"]["levels"] = [level for level, _ in people]
    stdout.write(f"Data: {result['dataset']}\n")
    targets = [(level, name, page) for level, name in people for page in pages]
    targets += [("reference", ADMIN, ADMIN_PAGE), ("reference", village_user, BARE_PAGE)]
    counts = {name: count_queries(name, pages) for _, name in people}
    counts[ADMIN] = {}
    key = bench_admin()
    process, base = start_server(redis_url=redis_url)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(LUA)
    script.close()
    try:
        cookies = {name: login(base, name) for _, name in people}
        cookies[ADMIN] = login(base, ADMIN, key)
        stdout.write(
            f"{'level':<10} {'user':<16} {'page':<26} {'q':>3} {'first':>7} {'p50':>7} {'p95':>7}  "
            f"8: {'rps':>6} {'p95':>7}\n"
        )
        for level, name, page in targets:
            row = {"level": level, "user": name, "page": page, **counts.get(name, {}).get(page, {})}
            row["first_ms"] = once(base + page, cookies[name])["p50_ms"]  # read afresh: then kept (anding.kept)
            for n in clients:
                row[f"c{n}"] = measure(base + page, cookies[name], n, seconds, script.name)
                if n > 1 and seconds:
                    settle(row[f"c{n}"])
            result["rows"].append(row)
            stdout.write(_line(row, clients) + "\n")
    finally:
        process.terminate()
        process.wait(timeout=30)
        os.unlink(script.name)
        retire_admin()
    return result


def _line(row: dict, clients) -> str:
    one, many = row.get(f"c{clients[0]}", {}), row.get(f"c{clients[-1]}", {})
    q = row.get("queries", "")
    return (
        f"{row['level']:<10} {row['user']:<16} {row['page']:<26} {q!s:>3} {row.get('first_ms', 0):>7.1f} "
        f"{one.get('p50_ms', 0):>7.1f} "
        f"{one.get('p95_ms', 0):>7.1f}  8: {many.get('per_second', 0):>6.1f} {many.get('p95_ms', 0):>7.1f}"
    )


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0].split(" on ")[0]
    cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "")
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "database": database,
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def write_table(result: dict, doc: Path, name: str) -> None:
    """Put the run's table in `doc` between the markers of `name` (under "## Benchmark"), replacing an earlier one."""
    m, d = result["machine"], result["dataset"]
    cl, server = result["settings"]["clients"], result["settings"]["server"]
    lines = [
        f"#### {name}: {d['preset']}",
        "",
        f"{d['nodes']:,} nodes, {d['villages']:,} villages, {d['members']:,} members. {m['cpus']} CPUs ({m['cpu']}), "
        f"{m['database']}, Python {m['python']}, {m['date']}, load average at the end {m['load_average']}. "
        f"{server[:1].upper()}{server[1:]}. wrk {result['settings']['seconds']} s per page and client "
        "count. The queries are those of a page read. `first` is the page's first request in the session, read "
        "afresh; a page of a town or below is then kept until its data changes (anding.kept), and the runs after it "
        "are served from the cache. Levels: "
        f"{', '.join(result['settings'].get('levels', []))}. Times in ms.",
        "",
        f"| level | user | page | queries | first | n ({cl[0]}) | p50 ({cl[0]}) | p95 ({cl[0]}) | req/s ({cl[-1]}) "
        f"| p95 ({cl[-1]}) |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["rows"]:
        one, many = r[f"c{cl[0]}"], r[f"c{cl[-1]}"]
        bad = " ⚠ non-2xx" if one["bad_status"] or many["bad_status"] else ""
        lines.append(
            f"| {r['level']} | {r['user']} | `{r['page']}`{bad} | {r.get('queries', '')} | "
            f"{r.get('first_ms', 0):.1f} | {one['requests']} | {one['p50_ms']:.1f} | {one['p95_ms']:.1f} | "
            f"{many['per_second']:.1f} | {many['p95_ms']:.1f} |"
        )
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = "\n".join([start, *lines, end])
    text = doc.read_text()
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        if "\n## Benchmark\n" not in text:
            text = text.rstrip("\n") + "\n\n## Benchmark\n"
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)

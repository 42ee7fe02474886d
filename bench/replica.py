"""The customer file on a read replica: nothing of customer_crm writes in a
read-only request.

    python bench/replica.py [--customers N] [--port 8190] [--timeout 900] [--keep-dir]

Odoo 18 runs the ``@api.readonly`` methods (``web_search_read``,
``web_read``, ``web_read_group``, ``get_views``, …) called through
``/web/dataset/call_kw`` on a cursor of the replica given by
``--db_replica_host``/``--db_replica_port``.  When such a request writes,
Odoo does not fail: it logs "…, retrying with a read/write cursor" and runs
it again on the primary.  This script:

1. makes a primary and a streaming hot-standby replica of its own: two
   PostgreSQL clusters (``initdb``, ``pg_basebackup -R``) in a temporary
   directory, ports 55432/55433, sockets in that directory and no TCP; the
   machine's PostgreSQL only lends the test template database (``pg_dump``);
2. restores the template into the primary and installs customer_crm with
   its demo data (``odoo-bin -i customer_crm``), then makes the replica;
3. starts Odoo with ``--workers=2`` and the replica, logs in like the web
   client (session cookie) and drives every read flow of the customer file:
   each action's list and kanban (grouped by status) with each filter and
   group-by of its search view, a search by every searchable field of that
   view (name, debtor number, …), the customer form with its overview
   (``web_read`` with the form's spec from ``get_views``), the CRM log page;
4. writes (create a customer, post a note, an invoice posted for it, the
   mail-merge CSV export), waits until the replica has replayed them and
   reads them back through read-only calls;
5. fails on any "retrying with a read/write cursor" or "readonly cursor"
   warning, any ERROR/CRITICAL line of the Odoo log, any RPC error, when the
   replica served no transaction or when a write does not show on it.

The clusters and the temporary directory are removed at the end, whatever
happens (``--keep-dir`` keeps the directory with the logs); the whole run is
bounded by ``--timeout``.  Exit status 0 when every check passes.
"""

import argparse
import ast
import datetime
import getpass
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages bench and scripts

from bench.rpc import WebClient  # noqa: E402
from bench.server import start_server, stop_server  # noqa: E402
from scripts import odoo_env  # noqa: E402  (psql, template, clone and odoo-bin helpers)

DB = "cc_replica"
ACTIONS = [
    "customer_crm.res_partner_action_customers",
    "customer_crm.res_partner_action_prospects",
    "customer_crm.res_partner_action_all_customers",
    "customer_crm.res_partner_action_templates",
]
READONLY_RE = re.compile(r"retrying with a read/write cursor|readonly cursor|ignoring readonly flag")
# the request line of Odoo's log ends with the cursor mode: ro, rw, or ro->rw (a read-only request that wrote)
REQUEST_RE = re.compile(r'"(?:POST|GET) (\S+) HTTP[^"]*" \d+ .* (ro|rw|ro->rw)$')
RELATIONAL = ("many2one", "one2many", "many2many")


class Timeout(Exception):
    pass


def pg_bindir():
    """Directory of PostgreSQL's server binaries, or None."""
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout
        candidates.append(out.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        if path and all(os.access(os.path.join(path, b), os.X_OK) for b in ("initdb", "pg_ctl", "pg_basebackup")):
            return path
    return None


class Clusters:
    """A primary and its streaming replica in ``tmp`` (sockets only)."""

    def __init__(self, bindir, tmp, ports=(55432, 55433)):
        self.bindir, self.tmp = bindir, Path(tmp)
        self.user = getpass.getuser()
        # PostgreSQL refuses to run as root: the clusters then belong to "postgres"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.nodes = {}
        for name, port in zip(("primary", "replica"), ports, strict=True):
            self.nodes[name] = {"data": self.tmp / name, "sock": self.tmp / f"sock_{name}", "port": port}
        self.started = []

    def run(self, *cmd, timeout=300, as_owner=True):
        prefix = self.as_user if as_owner else []
        return subprocess.run(
            [*prefix, *cmd], check=True, capture_output=True, text=True, timeout=timeout
        ).stdout.strip()

    def bin(self, name):
        return os.path.join(self.bindir, name)

    def conn(self, name):
        node = self.nodes[name]
        return ["-h", str(node["sock"]), "-p", str(node["port"])]

    def psql(self, name, sql, db="postgres"):
        return self.run(self.bin("psql"), "-XAtq", *self.conn(name), "-d", db, "-c", sql, as_owner=False)

    def _prepare_dirs(self):
        for node in self.nodes.values():
            node["sock"].mkdir()
        if self.as_user:
            shutil.chown(self.tmp, "postgres")
            for node in self.nodes.values():
                shutil.chown(node["sock"], "postgres")

    def _configure(self, name, extra=""):
        node = self.nodes[name]
        conf = node["data"] / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write(
                f"\nport = {node['port']}\nunix_socket_directories = '{node['sock']}'\n"
                "listen_addresses = ''\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 64MB\nmax_connections = 60\nwal_level = replica\nmax_wal_senders = 4\n"
                f"hot_standby = on\n{extra}"
            )

    def start(self, name):
        node = self.nodes[name]
        self.run(self.bin("pg_ctl"), "-D", str(node["data"]), "-l", str(self.tmp / f"{name}.log"), "-w", "start")
        self.started.append(name)

    def make_primary(self):
        self._prepare_dirs()
        data = self.nodes["primary"]["data"]
        self.run(
            self.bin("initdb"),
            "-D",
            str(data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._configure("primary")
        self.start("primary")

    def make_replica(self):
        primary, replica = self.nodes["primary"], self.nodes["replica"]
        self.run(
            self.bin("pg_basebackup"),
            "-D",
            str(replica["data"]),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "-h",
            str(primary["sock"]),
            "-p",
            str(primary["port"]),
            "-U",
            self.user,
        )
        self._configure("replica")
        self.start("replica")
        if self.psql("replica", "SELECT pg_is_in_recovery()") != "t":
            raise RuntimeError("the replica is not in recovery (not a standby)")

    def wait_replayed(self, timeout=60):
        """Wait until the replica has replayed everything the primary wrote."""
        lsn = self.psql("primary", "SELECT pg_current_wal_lsn()")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.psql("replica", f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t":
                return
            time.sleep(0.2)
        raise RuntimeError(f"the replica did not replay up to {lsn} in {timeout}s")

    def transactions(self, name, db):
        sql = f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'"
        return int(self.psql(name, sql) or 0)

    def stop_all(self):
        for name in reversed(self.started):
            try:
                self.run(self.bin("pg_ctl"), "-D", str(self.nodes[name]["data"]), "-m", "immediate", "stop", timeout=60)
            except (subprocess.SubprocessError, OSError) as exc:
                print(f"    warning: stopping the {name} cluster: {exc}")
        self.started = []


# the test database -----------------------------------------------------------


def load_database(clusters, data_dir, log):
    """The test template restored into the primary, customer_crm installed
    with its demo data (as ``scripts/test`` does)."""
    template = odoo_env.template_name()
    odoo_env.ensure_template(template)
    dump = clusters.tmp / "template.dump"
    subprocess.run([clusters.bin("pg_dump"), "-Fc", "-f", str(dump), "-d", template], check=True, timeout=300)
    clusters.psql("primary", f'CREATE DATABASE "{DB}"')
    clusters.run(
        clusters.bin("pg_restore"),
        "--no-owner",
        "--no-acl",
        *clusters.conn("primary"),
        "-d",
        DB,
        str(dump),
        as_owner=False,
    )
    if (odoo_env.FILESTORE / template).exists():
        shutil.copytree(odoo_env.FILESTORE / template, data_dir / "filestore" / DB)
    print(f"==> installing customer_crm into the primary (log: {log})", flush=True)
    cmd = odoo_env.odoo_cmd(
        DB,
        *db_options(clusters, data_dir, replica=False),
        "-i",
        "customer_crm",
        "--stop-after-init",
        "--no-http",
        f"--logfile={log}",
        "--log-level=warn",
    )
    if subprocess.run(cmd, check=False, timeout=900).returncode:
        raise RuntimeError(f"installing customer_crm into the primary failed, see {log}")


def db_options(clusters, data_dir, replica=True):
    primary, rep = clusters.nodes["primary"], clusters.nodes["replica"]
    opts = [f"--db_host={primary['sock']}", f"--db_port={primary['port']}", f"--data-dir={data_dir}"]
    if replica:
        opts += [f"--db_replica_host={rep['sock']}", f"--db_replica_port={rep['port']}"]
    return opts


# read flows --------------------------------------------------------------------


def field_spec(node, fields, models):
    """The ``web_read`` specification of the fields in a view arch, as the web
    client builds it: many2one with its display name, x2many with the fields
    of its inline subview (or its display name)."""
    spec = {}
    for child in node:
        if child.tag != "field":
            spec.update(field_spec(child, fields, models))
            continue
        name = child.get("name")
        info = fields.get(name)
        if not info:
            continue
        if info["type"] not in RELATIONAL:
            spec[name] = {}
            continue
        sub = {"display_name": {}}
        subviews = [c for c in child if c.tag in ("list", "kanban", "form")]
        if info["type"] != "many2one" and subviews and info["relation"] in models:
            for view in subviews:
                sub.update(field_spec(view, models[info["relation"]]["fields"], models))
        spec[name] = {"fields": sub}
    return spec


def eval_expr(text, uid):
    """A domain or context of a search view (Python syntax, evaluated by the
    web client with these names)."""
    today = datetime.date.today()
    names = {
        "uid": uid,
        "context_today": lambda: today,
        "datetime": datetime,
        "time": time,
        "relativedelta": lambda **kw: datetime.timedelta(days=kw.get("days", 0) + 30 * kw.get("months", 0)),
        "True": True,
        "False": False,
        "None": None,
    }
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return eval(text, {"__builtins__": __builtins__}, names)  # noqa: S307  (the search view of our own test database)


def search_items(search_arch, uid):
    """(label, domain, groupby) of every filter, date filter and group-by of a
    search view."""
    items = []
    month_start = datetime.date.today().replace(day=1).isoformat()
    for node in ET.fromstring(search_arch).iter("filter"):
        label = node.get("name") or node.get("string")
        if node.get("date"):
            items.append((label, [(node.get("date"), "<", month_start)], None))
        elif node.get("domain"):
            domain = eval_expr(node.get("domain"), uid)
            items.append((label, [tuple(t) if isinstance(t, list) else t for t in domain], None))
        elif node.get("context") and "group_by" in node.get("context"):
            groupby = eval_expr(node.get("context"), uid).get("group_by")
            items.append((label, [], groupby if isinstance(groupby, str) else groupby[0]))
    return items


def search_fields(search_arch, fields, value_of):
    """Domains of the search view's fields the user can type into, each with
    a value that exists."""
    domains = []
    for node in ET.fromstring(search_arch).iter("field"):
        name = node.get("name")
        if node.get("invisible") in ("1", "True") or not fields.get(name, {}).get("searchable"):
            continue
        value = value_of(name)
        if value in (None, False, ""):
            continue
        if node.get("filter_domain"):
            text = node.get("filter_domain").replace("self", repr(value))
            domains.append((name, eval_expr(text, 0)))
        else:
            domains.append((name, [(name, "ilike" if isinstance(value, str) else "=", value)]))
    return domains


class Reads:
    """Every read-only flow of the customer file, counted."""

    def __init__(self, web):
        self.web, self.calls = web, 0

    def __call__(self, model, method, *args, **kwargs):
        self.calls += 1
        return self.web(model, method, *args, **kwargs)

    def load_action(self, xmlid):
        self.calls += 1
        action = self.web.json("/web/action/load", {"action_id": xmlid})
        views = [list(v) for v in action["views"]]
        views.append([action["search_view_id"] and action["search_view_id"][0], "search"])
        context = dict(self.web.context, **eval_expr(action.get("context") or "{}", self.web.session["uid"]))
        result = self(
            "res.partner",
            "get_views",
            views,
            options={"action_id": action["id"], "load_filters": True, "toolbar": True},
            context=context,
        )
        domain = eval_expr(action.get("domain") or "[]", self.web.session["uid"])
        return action, result, context, domain

    def action_flows(self, xmlid, each_filter):
        action, result, context, domain = self.load_action(xmlid)
        models = result["models"]
        fields = models["res.partner"]["fields"]
        specs = {
            vtype: field_spec(ET.fromstring(result["views"][vtype]["arch"]), fields, models)
            for vtype in ("list", "kanban", "form")
            if vtype in result["views"]
        }
        search_arch = result["views"]["search"]["arch"]
        defaults = [k[len("search_default_") :] for k in context if k.startswith("search_default_")]
        items = search_items(search_arch, self.web.session["uid"])
        default_domain = [t for label, dom, _g in items if label in defaults for t in dom]
        chosen = items if each_filter else []
        rows = self.list_and_kanban(domain + default_domain, specs, context, None)
        for panel in ET.fromstring(search_arch).iter("searchpanel"):
            for node in panel.iter("field"):
                # not @api.readonly in Odoo 18: runs on the primary, not counted
                values = self.web(
                    "res.partner",
                    "search_panel_select_range",
                    node.get("name"),
                    search_domain=domain + default_domain,
                    enable_counters=True,
                    context=context,
                )["values"]
                for value in values[:2] if each_filter else []:
                    self.list_and_kanban([*domain, (node.get("name"), "=", value["id"])], specs, context, None)
        for _label, dom, groupby in chosen:
            self.list_and_kanban(domain + dom, specs, context, groupby)
        return action, specs, (search_arch, fields), context, domain, rows

    def list_and_kanban(self, domain, specs, context, groupby):
        rows = self(
            "res.partner", "web_search_read", domain, specs["list"], limit=80, count_limit=10001, context=context
        )
        if "kanban" in specs:
            self("res.partner", "web_search_read", domain, specs["kanban"], limit=40, context=context)
            self(
                "res.partner",
                "web_read_group",
                domain,
                ["crm_status_id"],
                [groupby or "crm_status_id"],
                limit=80,
                lazy=True,
                context=context,
            )
        if groupby:
            self("res.partner", "web_read_group", domain, [], [groupby], limit=80, lazy=True, context=context)
        return rows["records"]

    def searches(self, search_arch, fields, context, domain, record):
        def value_of(fname):
            value = record.get(fname)
            if isinstance(value, dict):  # a many2one of web_read: searched by its name
                return value.get("display_name")
            return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None

        for _name, dom in search_fields(search_arch, fields, value_of):
            self("res.partner", "web_search_read", domain + dom, {"display_name": {}}, limit=80, context=context)
        self("res.partner", "name_search", record["name"][:4], args=domain, limit=8, context=context)

    def open_customer(self, partner_id, form_spec, context):
        """The form with its overview, then its CRM log page (list of its log lines)."""
        record = self("res.partner", "web_read", [partner_id], form_spec, context=context)[0]
        log_ctx = dict(context, list_view_ref="customer_crm.mail_message_view_list_crm_log")
        views = self("mail.message", "get_views", [[False, "list"], [False, "search"]], options={}, context=log_ctx)
        msg_fields = views["models"]["mail.message"]["fields"]
        spec = field_spec(ET.fromstring(views["views"]["list"]["arch"]), msg_fields, views["models"])
        log = self(
            "mail.message", "web_search_read", [("crm_partner_id", "=", partner_id)], spec, limit=80, context=log_ctx
        )
        return record, log["records"]


def run_reads(web, each_filter=True):
    reads = Reads(web)
    first = None
    for xmlid in ACTIONS:
        action, specs, (search_arch, fields), context, domain, rows = reads.action_flows(xmlid, each_filter)
        print(f"    {action['name']}: {len(rows)} rows", flush=True)
        if first is None:
            first = (specs["form"], context)
        for row in rows[:3]:
            record, _log = reads.open_customer(row["id"], specs["form"], context)
            reads.searches(search_arch, fields, context, domain, {**row, **record})
    return reads.calls, first


# writes ------------------------------------------------------------------------


def run_writes(web, context):
    """A new customer, a note on it, an invoice posted for it (it draws the
    debtor number), the mail-merge CSV of it; returns (partner id, note text)."""
    partner = web(
        "res.partner",
        "web_save",
        [],
        {"name": "Replica Kunde GmbH", "is_company": True},
        specification={"display_name": {}},
        context=context,
    )[0]["id"]
    note = f"Replica note {time.time():.0f}"
    web("res.partner", "message_post", [partner], body=note, message_type="comment", subtype_xmlid="mail.mt_note")
    product = web("product.product", "search", [("sale_ok", "=", True)], limit=1)
    line = {"product_id": product[0], "quantity": 1, "price_unit": 120.0}
    move = web(
        "account.move",
        "create",
        {"move_type": "out_invoice", "partner_id": partner, "invoice_line_ids": [(0, 0, line)]},
    )
    web("account.move", "action_post", [move])
    ctype, body = web.get(f"/customer_crm/export/mail_merge?ids={partner}")
    if "csv" not in ctype or b"Replica Kunde GmbH" not in body:
        raise RuntimeError(f"mail-merge export: {ctype}, {body[:200]!r}")
    return partner, note


def check_writes_on_replica(clusters, web, partner, note, form_spec, context):
    problems = []
    clusters.wait_replayed()
    reads = Reads(web)
    record, log = reads.open_customer(partner, form_spec, context)
    if not record.get("debtor_number"):
        problems.append(f"the new customer {partner} has no debtor number on the replica")
    bodies = " ".join(str(line.get("crm_summary", "")) for line in log)
    if note not in bodies:
        problems.append(f"the note {note!r} is not in the customer's CRM log read from the replica")
    on_replica = clusters.psql("replica", f"SELECT debtor_number FROM res_partner WHERE id = {partner}", db=DB)
    if on_replica != (record.get("debtor_number") or ""):
        problems.append(f"replica row: debtor number {on_replica!r}, read {record.get('debtor_number')!r}")
    return problems


# main --------------------------------------------------------------------------


def drive(clusters, args, data_dir, log):
    problems = []
    proc = start_server(DB, args.port, log, workers=2, extra=db_options(clusters, data_dir))
    try:
        web = WebClient(args.port, DB, timeout=120)
        if args.customers:
            web(
                "res.partner",
                "create",
                [{"name": f"Replica Bulk {n}", "is_company": True, "customer_rank": 1} for n in range(args.customers)],
            )
            clusters.wait_replayed()
        before = clusters.transactions("replica", DB)
        calls, (form_spec, context) = run_reads(web, each_filter=True)
        served = clusters.transactions("replica", DB) - before
        ro, rw = request_modes(log)
        print(
            f"==> {calls} read-only calls: {ro} requests ran read-only, {rw} read/write; "
            f"{served} transactions on the replica",
            flush=True,
        )
        if ro < calls:
            problems.append(f"only {ro} of {calls} read-only calls ran on a read-only cursor")
        if served < calls:
            problems.append(f"the replica served {served} transactions for {calls} read-only calls")
        partner, note = run_writes(web, context)
        problems += check_writes_on_replica(clusters, web, partner, note, form_spec, context)
        print(f"==> writes: customer {partner} with a note and a posted invoice, CSV exported; read back", flush=True)
    finally:
        stop_server(proc)
    return problems


def log_problems(log):
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    found = [f"read-only request wrote: {ln[:400]}" for ln in lines if READONLY_RE.search(ln)]
    found += [f"server log: {ln[:300]}" for ln in lines if odoo_env.ERROR_LINE_RE.search(ln)]
    modes = [m.groups() for m in map(REQUEST_RE.search, lines) if m]
    found += [f"read-only request retried read/write: {path}" for path, mode in modes if mode == "ro->rw"]
    return found


def request_modes(log):
    """How many requests of the Odoo log ran read-only / read/write."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    modes = [m.group(2) for m in map(REQUEST_RE.search, lines) if m]
    return modes.count("ro"), modes.count("rw")


def on_alarm(signum, frame):
    raise Timeout("the run took longer than --timeout")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=0, help="more customers to create first (default 0)")
    port = int(os.environ.get("CUSTOMER_CRM_TEST_PORT", "8187")) + 3
    parser.add_argument("--port", type=int, default=port, help="Odoo's HTTP port (default: the test port + 3)")
    parser.add_argument(
        "--pg-ports", default="55432,55433", help="ports of the primary and the replica (their sockets: no TCP)"
    )
    parser.add_argument("--timeout", type=int, default=900, help="bound of the whole run in seconds")
    parser.add_argument("--keep-dir", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    bindir = pg_bindir()
    if not bindir:
        print("replica: SKIPPED, no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="cc_replica_"))
    data_dir, log = tmp / "odoo", tmp / "odoo.log"
    data_dir.mkdir()
    clusters = Clusters(bindir, tmp, tuple(int(p) for p in args.pg_ports.split(",")))
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    problems = []
    try:
        print(f"==> primary and replica clusters in {tmp} ({bindir})", flush=True)
        clusters.make_primary()
        load_database(clusters, data_dir, tmp / "install.log")
        clusters.make_replica()
        print(f"==> Odoo --workers=2 with the replica on port {args.port} (log {log})", flush=True)
        problems += drive(clusters, args, data_dir, log)
    except Exception as exc:  # (reported as the run's failure, after the cleanup)
        problems.append(f"{type(exc).__name__}: {exc}")
        traceback.print_exc()
    finally:
        signal.alarm(0)
        problems += log_problems(log) + log_problems(tmp / "install.log")
        clusters.stop_all()
        if args.keep_dir:
            print(f"    kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    print(f"==> replica: {'FAILED' if problems else 'OK'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

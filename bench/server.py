"""A multi-worker Odoo server on 127.0.0.1 for the scripts that drive one
over JSON-RPC (multiworker.py, debtor_concurrency.py): a database with
customer_crm installed, the server started and stopped.

The scripts put the repository on ``sys.path`` before importing this
module."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from bench.rpc import HOST
from scripts import odoo_env


def install_addon(db, log, demo=True):
    """Copy the test template database into ``db`` and install customer_crm,
    with its demo data unless ``demo`` is false."""
    template = odoo_env.template_name()
    odoo_env.ensure_template(template)
    odoo_env.clone_db(template, db)
    if not demo:
        odoo_env.without_demo(db)
    print(f"==> installing customer_crm into {db} (log: {log})", flush=True)
    cmd = odoo_env.odoo_cmd(
        db, "-i", "customer_crm", "--stop-after-init", "--no-http", f"--logfile={log}", "--log-level=warn"
    )
    if subprocess.run(cmd, check=False).returncode:
        sys.exit(f"error: installing customer_crm into {db} failed, see {log}")


def start_server(db, port, log, cron_threads=0, workers=2, extra=()):
    """Odoo with ``workers`` workers on ``port`` (gevent on ``port`` + 1000),
    only ``db``, in its own process group; returns once it answers.
    ``extra``: more odoo-bin options (e.g. the database host of a replica)."""
    cmd = odoo_env.odoo_cmd(
        db,
        f"--workers={workers}",
        f"--max-cron-threads={cron_threads}",
        f"--http-interface={HOST}",
        f"--http-port={port}",
        f"--gevent-port={port + 1000}",
        f"--db-filter=^{re.escape(db)}$",
        f"--logfile={log}",
        "--log-level=info",
        "--limit-time-real=300",
        "--limit-time-cpu=300",
        *extra,
    )
    proc = subprocess.Popen(cmd, start_new_session=True)  # its own process group: we stop exactly it
    for _ in range(240):
        if proc.poll() is not None:
            sys.exit(f"error: the Odoo server exited with {proc.returncode}, see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/web/health", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    sys.exit(f"error: the Odoo server did not answer on {HOST}:{port}, see {log}")


def stop_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    try:  # leftover workers of our own process group, if any
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

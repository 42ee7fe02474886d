"""Helpers the scripts and benchmarks share: psql, databases (the test
template, copies of it) and odoo-bin command lines, and what counts as a bad
line of an Odoo log.

``scripts/*.py`` import it as ``odoo_env`` (their folder is on ``sys.path``),
``bench/*.py`` as ``scripts.odoo_env``.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
DEPENDS = ["contacts", "sale_management", "account", "mail", "privacy_lookup"]
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# Any WARNING, ERROR or CRITICAL line of the install and test log fails the run:
# an install logs no warning, and tests that provoke one on purpose mute it
# (``mute_logger``) or assert it (``assertLogs``).
BAD_LINE_RE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
# Errors only: for the benchmark and regression scripts, whose servers and
# Odoo tests log warnings of their own.
ERROR_LINE_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# Warnings of Odoo itself that a test run logs whatever the addon does, each
# matched narrowly, with the reason it is expected.
EXPECTED_WARNINGS = [
    (
        # Odoo's .pot exporter (test_i18n_export) runs Babel's extractors,
        # and Babel loads them through setuptools' deprecated pkg_resources.
        re.compile(
            r" WARNING \S+ py\.warnings: \S+/babel/messages/extract\.py:\d+: UserWarning: pkg_resources is deprecated"
        ),
        "Babel's extractors load through setuptools' pkg_resources",
    ),
]


def is_bad_line(line):
    return bool(BAD_LINE_RE.search(line)) and not any(pattern.search(line) for pattern, _reason in EXPECTED_WARNINGS)


FILESTORE = Path.home() / ".local/share/Odoo/filestore"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-XAtq", "-d", db, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    if db_exists(name):
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')
    shutil.rmtree(FILESTORE / name, ignore_errors=True)


def without_demo(db):
    """Install modules into ``db`` from now on without their demo data, as
    into a database in production.  ``--without-demo`` does not do it: Odoo
    gives a module demo data whenever its dependencies have theirs, as in
    the test template."""
    psql("UPDATE ir_module_module SET demo = false", db=db)


def odoo_cmd(db, *args):
    addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}"
    return [sys.executable, str(ODOO_PATH / "odoo-bin"), f"--addons-path={addons}", "-d", db, *args]


def odoo_test_cmd(db, tags, port, log, *args):
    """odoo-bin running the tests ``tags`` in ``db`` (``args`` first, e.g.
    ``-i customer_crm``), logging at test level to ``log``, then stopping."""
    return odoo_cmd(
        db,
        *args,
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={port}",
        f"--logfile={log}",
        "--log-level=test",
        "--max-cron-threads=0",
    )


def template_name(modules=DEPENDS):
    """A database with Odoo and the addon's dependencies installed (with demo
    data), keyed by the Odoo source and the dependency list, so that each test
    run only installs customer_crm itself into a copy of it."""
    head = (
        subprocess.run(
            ["git", "-C", str(ODOO_PATH), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        or (ODOO_PATH / "odoo/release.py").read_text()
    )
    key = hashlib.sha1(f"{head}{modules}".encode()).hexdigest()[:10]
    return f"customer_crm_tpl_{key}"


def ensure_template(name, modules=DEPENDS):
    if (
        db_exists(name)
        and psql("SELECT 1 FROM ir_module_module WHERE name='sale_management' AND state='installed'", db=name) == "1"
    ):
        return
    drop_db(name)
    print(f"==> building template database {name} (Odoo + {', '.join(modules)}, demo data)", flush=True)
    log = Path(tempfile.gettempdir()) / f"{name}.log"
    rc = subprocess.run(
        odoo_cmd(
            name,
            "-i",
            ",".join(modules),
            "--stop-after-init",
            "--no-http",
            f"--logfile={log}",
            "--log-level=warn",
        ),
        check=False,
    ).returncode
    if rc:
        drop_db(name)
        sys.exit(f"error: building the template database failed, see {log}")


def clone_db(template, db):
    drop_db(db)
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    if (FILESTORE / template).exists():
        shutil.copytree(FILESTORE / template, FILESTORE / db)

"""Screenshots of the main screens of customer_crm, from its demo data.

Run through ``scripts/screenshots``.  Each shot is a URL of the Odoo web
client and a CSS selector that tells when the screen is ready; the PNG goes
to customer_crm/static/description/<name>.png, where the readme fragments,
the manifest ``images`` and the repository README use it.
"""

import argparse
import base64
import contextlib
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from odoo_env import clone_db, drop_db, ensure_template, odoo_cmd, psql, template_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "customer_crm" / "static" / "description"
WIDTH, HEIGHT = 1920, 1080  # wide enough for the list columns and the chatter beside the form


def _partner(db, xmlid):
    module, name = xmlid.split(".")
    return psql(f"SELECT res_id FROM ir_model_data WHERE module='{module}' AND name='{name}'", db=db)


# name: (url path, CSS selector of the ready screen, JS run before the shot)
def shots(db):
    mueller = _partner(db, "customer_crm.res_partner_demo_mueller")
    return {
        "customer_list": ("/odoo/customer-file-all", ".o_list_view .o_data_row", None),
        "customer_kanban": ("/odoo/customer-file-all?view_type=kanban", ".o_kanban_view .o_kanban_record", None),
        "customer_form": (f"/odoo/customer-file-all/{mueller}", ".o_form_view .o_field_widget[name='name']", None),
        # the customer's CRM page: its log, loaded when the page is opened
        "customer_log": (
            f"/odoo/customer-file-all/{mueller}",
            ".o_form_view .o_notebook a[name='customer_crm_activity_log']",
            "document.querySelector(\".o_notebook a[name='customer_crm_activity_log']\").click();"
            " for (let i = 0; i < 50 && !document.querySelector('.o_customer_crm_log .o_data_row'); i++)"
            " { await new Promise((r) => setTimeout(r, 200)); }",
        ),
        # the overview's lists and revenue chart (Chart.js), below the smart buttons
        "customer_overview": (
            f"/odoo/customer-file-all/{mueller}",
            ".o_form_view .o_customer_crm_revenue_chart canvas",
            "document.querySelector('.o_customer_crm_revenue_chart').scrollIntoView({block: 'center'});"
            " await new Promise((r) => setTimeout(r, 1000));",
        ),
        # Erase Customer (GDPR) from the action menu, after its dry run
        "customer_erase": (
            f"/odoo/customer-file-all/{mueller}",
            ".o_form_view .o_cp_action_menus button.dropdown-toggle",
            "document.querySelector('.o_cp_action_menus button.dropdown-toggle').click();"
            " await new Promise((r) => setTimeout(r, 500));"
            " [...document.querySelectorAll('.o-dropdown--menu .dropdown-item')]"
            ".find((item) => /GDPR|DSGVO/.test(item.textContent)).click();"
            " for (let i = 0; i < 50 && !document.querySelector(\".modal button[name='action_dry_run']\"); i++)"
            " { await new Promise((r) => setTimeout(r, 200)); }"
            " document.querySelector(\".modal button[name='action_dry_run']\").click();"
            " for (let i = 0; i < 50 && !document.querySelector('.modal .o_data_row'); i++)"
            " { await new Promise((r) => setTimeout(r, 200)); }",
        ),
        "customer_resources": ("/odoo/action-customer_crm.customer_resource_action", ".o_list_view .o_data_row", None),
        # Settings > Invoicing > Debtor Numbers
        "settings_debtor": (
            "/odoo/settings",
            ".settings_tab a.tab[data-key='account']",
            "document.querySelector(\".settings_tab a.tab[data-key='account']\").click();"
            " await new Promise((r) => setTimeout(r, 1500));"
            # the block by its class (its title is in the user's language), from its heading
            " const box = document.querySelector('.o_customer_crm_debtor_numbers');"
            " (box.previousElementSibling || box).scrollIntoView({block: 'start'});",
        ),
    }


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (localhost)
                return resp.read()
        except OSError:
            time.sleep(0.5)
    sys.exit(f"error: {url} did not answer within {timeout}s")


DEMO_LOGIN = ("admin", "admin")  # the demo database's administrator, see scripts/demo


def login(base, db):
    user, password = DEMO_LOGIN
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps({"params": {"db": db, "login": user, "password": password}}).encode()
    url = f"{base}/web/session/authenticate"  # base is http://127.0.0.1:<port>
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    with opener.open(req, timeout=60) as resp:
        answer = json.load(resp)
    if answer.get("error"):
        sys.exit(f"error: login failed: {answer['error']}")
    return next(c.value for c in jar if c.name == "session_id")


class Chromium:
    """A headless Chromium and one page of it, driven over DevTools."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="cc-chromium-")
        port = free_port()
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("error: no chromium found (scripts/setup installs it)")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = json.loads(wait_http(f"http://127.0.0.1:{port}/json/list", 30))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(
                f"{expression[:200]}: {result['exceptionDetails'].get('exception', {}).get('description')}"
            )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        check = (
            f"!!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_blockUI, .o_loading_indicator')"
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(check):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{selector!r} did not appear within {timeout}s")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def prepare_db(db, lang):
    tpl = template_name()
    ensure_template(tpl)
    clone_db(tpl, db)
    log = Path(tempfile.gettempdir()) / f"{db}.log"
    print(f"==> installing customer_crm with demo data into {db} (log: {log})", flush=True)
    args = ["-i", "customer_crm", "--stop-after-init", "--no-http", f"--logfile={log}", "--log-level=warn"]
    if lang != "en_US":
        args.append(f"--load-language={lang}")
    subprocess.run(odoo_cmd(db, *args), check=True)
    if lang != "en_US":
        psql(
            f"UPDATE res_partner SET lang='{lang}' WHERE id IN (SELECT partner_id FROM res_users WHERE login='admin')",
            db,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="shots to take (default: all)")
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_SCREENSHOT_DB", "customer_crm_screenshots"))
    parser.add_argument("--port", default=os.environ.get("CUSTOMER_CRM_SCREENSHOT_PORT", "8177"))
    parser.add_argument("--lang", default="en_US", help="language of the admin user (default en_US)")
    parser.add_argument("--out", default=str(OUT), help="folder of the PNG files")
    parser.add_argument("--keep", action="store_true", help="keep the screenshot database")
    args = parser.parse_args()
    prepare_db(args.db, args.lang)
    base = f"http://127.0.0.1:{args.port}"
    log = Path(tempfile.gettempdir()) / f"{args.db}-http.log"
    server = subprocess.Popen(
        odoo_cmd(
            args.db,
            f"--db-filter=^{args.db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            "--max-cron-threads=0",
            f"--logfile={log}",
            "--log-level=warn",
        )
    )
    browser = None
    try:
        wait_http(f"{base}/web/login")
        session = login(base, args.db)
        browser = Chromium()
        browser.call("Network.setCookie", name="session_id", value=session, domain="127.0.0.1", path="/")
        todo = shots(args.db)
        unknown = set(args.names) - set(todo)
        if unknown:
            sys.exit(f"error: unknown shots {sorted(unknown)}; known: {sorted(todo)}")
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name, (path, selector, script) in todo.items():
            if args.names and name not in args.names:
                continue
            browser.call("Page.navigate", url=base + path)
            browser.wait_for(selector)
            if script:
                browser.evaluate(f"(async () => {{ {script} }})()")
            time.sleep(1.5)  # fonts, images and animations settle
            browser.screenshot(out / f"{name}.png")
            print(f"==> {out / name}.png", flush=True)
    finally:
        if browser:
            browser.close()
        server.terminate()
        server.wait(timeout=60)
        if not args.keep:
            drop_db(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())

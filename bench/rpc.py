"""A JSON-RPC client of one Odoo database on localhost, shared by the
scripts that drive a running Odoo server (multiworker.py,
debtor_concurrency.py)."""

import itertools
import json
import urllib.request

HOST = "127.0.0.1"
_ids = itertools.count(1)


class RpcError(Exception):
    pass


class Client:
    """A JSON-RPC client of one Odoo database on localhost."""

    def __init__(self, port, db, login="admin", password="admin", timeout=180):  # noqa: S107  (demo admin of a local test DB)
        self.url = f"http://{HOST}:{port}/jsonrpc"
        self.db, self.password, self.timeout = db, password, timeout
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError(f"login {login} failed")

    def call(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(_ids)}
        payload["params"] = {"service": service, "method": method, "args": args}
        request = urllib.request.Request(  # noqa: S310  (fixed http://127.0.0.1 URL)
            self.url, json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            reply = json.loads(response.read())
        if reply.get("error"):
            data = reply["error"].get("data", {})
            raise RpcError(f"{data.get('name', '')}: {data.get('message', reply['error'])}")
        return reply.get("result")

    def __call__(self, model, method, *args, **kwargs):
        return self.call("object", "execute_kw", self.db, self.uid, self.password, model, method, list(args), kwargs)


class WebClient:
    """What the web client does: a session cookie from
    ``/web/session/authenticate``, then ``/web/dataset/call_kw``, whose
    ``@api.readonly`` methods (``web_search_read``, ``web_read``, …) Odoo
    runs on a read-only cursor (the replica when one is configured)."""

    def __init__(self, port, db, login="admin", password="admin", timeout=180):  # noqa: S107  (demo admin of a local test DB)
        self.base = f"http://{HOST}:{port}"
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        self.session = self.json("/web/session/authenticate", {"db": db, "login": login, "password": password})
        if not self.session.get("uid"):
            raise RpcError(f"login {login} failed")
        self.context = self.session.get("user_context", {})

    def json(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(_ids), "params": params}
        request = urllib.request.Request(  # noqa: S310  (fixed http://127.0.0.1 URL)
            self.base + path, json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=self.timeout) as response:
            reply = json.loads(response.read())
        if reply.get("error"):
            data = reply["error"].get("data", {})
            raise RpcError(f"{path}: {data.get('name', '')}: {data.get('message', reply['error'])}")
        return reply.get("result")

    def get(self, path):
        """A GET of a download route (with the session): (content type, body)."""
        with self.opener.open(self.base + path, timeout=self.timeout) as response:
            return response.headers.get("Content-Type", ""), response.read()

    def __call__(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = dict(self.context, **(context or {}))
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self.json(f"/web/dataset/call_kw/{model}/{method}", params)

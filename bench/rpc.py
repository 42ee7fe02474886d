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

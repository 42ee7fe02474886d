"""Debtor numbers under concurrency: several Odoo workers post the first
invoices of the same new customers at the same time.

    python bench/debtor_concurrency.py [--customers 10] [--threads 4]
                                       [--port 8270] [--db cc_debtor_concurrency] [--timeout 600] [--keep]

Copies the template database of scripts/odoo_env.py, installs customer_crm,
starts Odoo with ``--workers=2`` on 127.0.0.1 (own HTTP and gevent ports), and
through JSON-RPC (admin/admin of the local test database) creates fresh
customers with a few draft invoices each.  Then ``--threads`` clients post,
in parallel, one invoice of every customer each, so that every customer's
first invoices are posted by several workers at once.  Odoo retries
serialization failures; a user-visible error is counted as an error.

Reports the numbers drawn, duplicates (must be 0), gaps (must be 0),
customers left without a number (must be 0) and RPC errors (must be 0); stops
the server itself and exits 0 only when every check passes.  The whole run is
bounded by ``--timeout`` seconds.  Talks only to 127.0.0.1.
"""

import argparse
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages bench and scripts

from bench.rpc import HOST, Client, RpcError  # noqa: E402
from bench.server import install_addon, start_server, stop_server  # noqa: E402
from scripts import odoo_env  # noqa: E402  (psql, template, clone and odoo-bin helpers)


def run(args, port, db):
    client = Client(port, db)
    company_id = client("res.users", "read", [client.uid], ["company_id"])[0]["company_id"][0]
    sequence_id = client("res.company", "read", [company_id], ["debtor_sequence_id"])[0]["debtor_sequence_id"][0]

    def number_next():
        return client("ir.sequence", "read", [sequence_id], ["number_next_actual"])[0]["number_next_actual"]

    product_id = client("product.product", "create", {"name": "Race", "type": "service", "list_price": 10.0})
    stamp = int(time.time())
    partner_ids = client(
        "res.partner",
        "create",
        [{"name": f"Race {stamp} {i:03d}", "is_company": True, "customer_rank": 1} for i in range(args.customers)],
    )
    invoices = {}  # (thread, partner) -> invoice id
    vals = []
    keys = []
    for partner_id in partner_ids:
        for thread in range(args.threads):
            keys.append((thread, partner_id))
            vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_id,
                    "invoice_line_ids": [(0, 0, {"product_id": product_id, "quantity": 1, "price_unit": 10.0})],
                }
            )
    invoices = dict(zip(keys, client("account.move", "create", vals), strict=True))
    before = number_next()
    print(
        f"==> {args.threads} clients post the first invoices of {args.customers} new customers "
        f"at the same time ({len(invoices)} invoices, 2 workers)",
        flush=True,
    )

    errors = []
    barrier = threading.Barrier(args.threads)

    def worker(thread):
        own = Client(port, db)
        barrier.wait(timeout=60)
        for partner_id in partner_ids:
            try:
                own("account.move", "action_post", [invoices[thread, partner_id]])
            except (OSError, RpcError) as exc:
                errors.append(f"client {thread}, customer {partner_id}: {exc}")

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, args.deadline - time.monotonic()))
    seconds = time.monotonic() - t0
    if any(thread.is_alive() for thread in threads):
        errors.append("timeout: clients still running")

    after = number_next()
    partners = client("res.partner", "read", partner_ids, ["debtor_number"])
    numbers = [p["debtor_number"] for p in partners if p["debtor_number"]]
    as_int = [int(re.sub(r"\D", "", n)) for n in numbers]
    posted = client("account.move", "search_count", [("id", "in", list(invoices.values())), ("state", "=", "posted")])
    drawn = after - before
    duplicates = len(as_int) - len(set(as_int))
    gaps = len(set(range(before, after)) - set(as_int))
    unnumbered = len(partner_ids) - len(numbers)

    print(f"    postings:          {posted} of {len(invoices)} in {seconds:.1f} s")
    print(f"    numbers drawn:     {drawn} (sequence {before} -> {after})")
    print(f"    customers numbered: {len(numbers)} of {len(partner_ids)}")
    print(f"    duplicates:        {duplicates}")
    print(f"    gaps:              {gaps}")
    print(f"    RPC errors:        {len(errors)}")
    for error in errors[:10]:
        print(f"      {error[:300]}")
    ok = (
        not errors
        and duplicates == 0
        and gaps == 0
        and unnumbered == 0
        and drawn == len(partner_ids)
        and posted == len(invoices)
    )
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="cc_debtor_concurrency")
    parser.add_argument("--port", type=int, default=8270)
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4, help="parallel clients (one invoice per customer each)")
    parser.add_argument("--timeout", type=int, default=600, help="bound of the whole run, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    args.deadline = time.monotonic() + args.timeout
    install_addon(args.db, Path(tempfile.gettempdir()) / f"{args.db}-install.log")
    log = Path(tempfile.gettempdir()) / f"{args.db}-server.log"
    print(f"==> starting Odoo --workers=2 on {HOST}:{args.port} (log: {log})", flush=True)
    process = start_server(args.db, args.port, log)
    try:
        ok = run(args, args.port, args.db)
    finally:
        stop_server(process)
    bad = [line for line in log.read_text(errors="replace").splitlines() if odoo_env.ERROR_LINE_RE.search(line)]
    for line in bad[:10]:
        print(f"    log: {line[:300]}")
    if not args.keep:
        odoo_env.drop_db(args.db)
    ok = ok and not bad
    print("==> OK" if ok else "==> FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Export the addon's terms with Odoo's exporter and merge them into de.po.

Run through ``scripts/i18n``.  The export database is a copy of the test
template (Odoo + the addon's dependencies, demo data) with customer_crm
installed, exactly as ``scripts/test`` builds its database, so the exact
staleness test of the addon (customer_crm/tests/test_i18n_export.py) exports the
same terms.
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from odoo_env import clone_db, drop_db, ensure_template, odoo_cmd, template_name

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "customer_crm" / "i18n"
POT = I18N / "customer_crm.pot"
LANGS = {"de": "German"}
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
# Odoo addons whose translations --suggest offers for identical terms (the
# addon's dependencies and the mail fields its models inherit).
MEMORY_MODULES = ("base", "web", "mail", "contacts", "sale", "sale_management", "account", "product", "sales_team")
# Dates would change the files on every run without any change of terms.
VOLATILE = ("POT-Creation-Date", "PO-Revision-Date")


def export_pot(db, keep):
    tpl = template_name()
    ensure_template(tpl)
    clone_db(tpl, db)
    log = Path(tempfile.gettempdir()) / f"{db}.log"
    try:
        print(f"==> installing customer_crm into {db} (log: {log})", flush=True)
        common = ["--stop-after-init", "--no-http", f"--logfile={log}", "--log-level=warn", "--max-cron-threads=0"]
        subprocess.run(odoo_cmd(db, "-i", "customer_crm", *common), check=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "customer_crm.pot"
            print("==> exporting the terms of customer_crm", flush=True)
            subprocess.run(
                odoo_cmd(db, f"--i18n-export={out}", "--modules=customer_crm", *common),
                check=True,
            )
            pot = polib.pofile(str(out))
    finally:
        if not keep:
            drop_db(db)
    for key in VOLATILE:
        pot.metadata.pop(key, None)
    return pot


def odoo_memory(code):
    """msgid -> the German (etc.) msgstr Odoo's own addons use most for it."""
    seen = collections.defaultdict(collections.Counter)
    for module in MEMORY_MODULES:
        base = ODOO_PATH / "odoo" / "addons" if module == "base" else ODOO_PATH / "addons"
        path = base / module / "i18n" / f"{code}.po"
        if path.is_file():
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                    seen[entry.msgid][entry.msgstr] += 1
    return {msgid: counts.most_common(1)[0][0] for msgid, counts in seen.items()}


def merge(pot, po_path, language, memory=None):
    """Return de.po for the terms of ``pot``: known translations kept.

    New terms get an empty msgstr, or with ``memory`` the translation Odoo
    itself uses for the same term, marked fuzzy: a person checks that it
    fits here and removes the flag (tests/test_i18n.py fails until then).
    """
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {entry.msgid: entry for entry in old if not entry.obsolete}
    po = polib.POFile(wrapwidth=pot.wrapwidth)
    po.header = pot.header
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": po_path.stem, "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    for key in VOLATILE:
        po.metadata.pop(key, None)
    new, dropped = [], set(known) - {e.msgid for e in pot}
    for entry in pot:
        merged = polib.POEntry(
            msgid=entry.msgid,
            msgstr="",
            comment=entry.comment,
            occurrences=entry.occurrences,
            flags=list(entry.flags),
        )
        previous = known.get(entry.msgid)
        if previous and previous.msgstr:
            merged.msgstr = previous.msgstr
            if "fuzzy" in previous.flags:
                merged.flags.append("fuzzy")
                new.append(entry.msgid)
        else:
            new.append(entry.msgid)
            if memory and entry.msgid in memory:
                merged.msgstr = memory[entry.msgid]
                merged.flags.append("fuzzy")
        po.append(merged)
    name = po_path.relative_to(ROOT)
    print(f"==> {name} ({language}): {len(po)} terms, {len(new)} to translate or review, {len(dropped)} dropped")
    for msgid in new:
        print(f"   to translate: {msgid[:100]!r}")
    return po


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_I18N_DB", "customer_crm_i18n"))
    parser.add_argument("--keep", action="store_true", help="keep the export database")
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="fill new terms with the translation Odoo's own addons use for them, marked fuzzy for review",
    )
    args = parser.parse_args()
    pot = export_pot(args.db, args.keep)
    I18N.mkdir(exist_ok=True)
    pot.save(str(POT))
    print(f"==> {POT.relative_to(ROOT)}: {len(pot)} terms")
    for code, language in LANGS.items():
        po_path = I18N / f"{code}.po"
        memory = odoo_memory(code) if args.suggest else None
        merge(pot, po_path, language, memory).save(str(po_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())

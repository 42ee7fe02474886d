"""Export the addon's terms with Odoo's exporter and merge them into de.po.

Run through ``scripts/i18n``.  The export database is a copy of the test
template (Odoo + the addon's dependencies, demo data) with customer_crm
installed, exactly as ``scripts/test`` builds its database, so the exact
staleness test of the addon (customer_crm/tests/test_i18n.py) exports the
same terms.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from run_tests import clone_db, drop_db, ensure_template, odoo_cmd, template_name

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "customer_crm" / "i18n"
POT = I18N / "customer_crm.pot"
LANGS = {"de": "German"}
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


def merge(pot, po_path, language):
    """Return de.po for the terms of ``pot``: known translations kept."""
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
        if previous and previous.msgstr and "fuzzy" not in previous.flags:
            merged.msgstr = previous.msgstr
        else:
            new.append(entry.msgid)
        po.append(merged)
    name = po_path.relative_to(ROOT)
    print(f"==> {name} ({language}): {len(po)} terms, {len(new)} untranslated, {len(dropped)} dropped")
    for msgid in new:
        print(f"   untranslated: {msgid[:100]!r}")
    return po


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_I18N_DB", "customer_crm_i18n"))
    parser.add_argument("--keep", action="store_true", help="keep the export database")
    args = parser.parse_args()
    pot = export_pot(args.db, args.keep)
    I18N.mkdir(exist_ok=True)
    pot.save(str(POT))
    print(f"==> {POT.relative_to(ROOT)}: {len(pot)} terms")
    for code, language in LANGS.items():
        po_path = I18N / f"{code}.po"
        merge(pot, po_path, language).save(str(po_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())

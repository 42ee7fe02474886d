"""Translations of the addon: de.po complete and consistent with the .pot.

Whether customer_crm/i18n/customer_crm.pot itself is current is checked in
Odoo, with Odoo's own exporter (customer_crm/tests/test_i18n_export.py, run by
scripts/test): a real export must give exactly the msgids of the .pot.

``scripts/i18n`` regenerates the .pot and merges it into de.po; every msgid
of the .pot needs a German msgstr in de.po (not fuzzy, same placeholders).
"""

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from conftest import ADDON, ROOT

POT = ADDON / "i18n" / "customer_crm.pot"
LANGS = ["de"]
FIX = "run scripts/i18n, then translate the new entries in customer_crm/i18n/de.po"
# placeholders, and markup by tag name (attributes such as title="..." are
# translated inside the tag)
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][\w-]*")


@pytest.fixture(scope="module")
def pot():
    assert POT.is_file(), f"no {POT.relative_to(ADDON.parent)}: {FIX}"
    return polib.pofile(str(POT))


@pytest.fixture(scope="module", params=LANGS)
def po(request):
    path = ADDON / "i18n" / f"{request.param}.po"
    assert path.is_file(), f"no {path.name}: {FIX}"
    return polib.pofile(str(path))


# --- tests --------------------------------------------------------------------


def test_pot_has_no_dates(pot):
    assert "POT-Creation-Date" not in pot.metadata, "scripts/i18n strips dates so that the .pot only changes with terms"


def test_po_has_the_terms_of_the_pot(pot, po):
    pot_ids, po_ids = {e.msgid for e in pot}, {e.msgid for e in po if not e.obsolete}
    assert pot_ids - po_ids == set(), f"terms missing in {po.metadata.get('Language')}.po: {FIX}"
    assert po_ids - pot_ids == set(), f"terms of {po.metadata.get('Language')}.po no longer in the .pot: {FIX}"


def test_every_term_is_translated(po):
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.msgstr.strip() or "fuzzy" in e.flags)]
    assert not untranslated, f"untranslated in {po.metadata.get('Language')}.po: {untranslated}"


def test_translations_keep_placeholders_and_markup(po):
    wrong = [
        (e.msgid, e.msgstr)
        for e in po
        if e.msgstr and sorted(PLACEHOLDER_RE.findall(e.msgid)) != sorted(PLACEHOLDER_RE.findall(e.msgstr))
    ]
    assert not wrong, f"placeholders or tags differ: {wrong}"


def test_po_header(po):
    assert po.metadata.get("Language") == Path(po.fpath).stem
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def test_merge_keeps_translations_and_adds_new_terms(tmp_path, monkeypatch):
    """scripts/i18n keeps known translations, adds new terms empty, drops old ones."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("cc_i18n", ROOT / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    monkeypatch.setattr(i18n, "ROOT", tmp_path)
    old = polib.POFile()
    old.append(polib.POEntry(msgid="Customers", msgstr="Kunden"))
    old.append(polib.POEntry(msgid="Gone", msgstr="Weg"))
    old.append(polib.POEntry(msgid="Unsure", msgstr="Unsicher", flags=["fuzzy"]))
    old.save(str(tmp_path / "de.po"))
    pot = polib.POFile()
    for msgid in ("Customers", "Prospects", "Unsure"):
        pot.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=[("model:x", "")]))
    merged = i18n.merge(pot, tmp_path / "de.po", "German")
    assert {e.msgid: e.msgstr for e in merged} == {"Customers": "Kunden", "Prospects": "", "Unsure": "Unsicher"}
    assert [e.msgid for e in merged if "fuzzy" in e.flags] == ["Unsure"], "still to review"
    assert merged.metadata["Language"] == "de"
    # --suggest: Odoo's own translation of the same term, to review
    suggested = i18n.merge(pot, tmp_path / "de.po", "German", memory={"Prospects": "Interessenten"})
    prospects = next(e for e in suggested if e.msgid == "Prospects")
    assert (prospects.msgstr, prospects.flags) == ("Interessenten", ["fuzzy"])

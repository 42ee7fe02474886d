"""Translations of the addon: the committed .pot is current, de.po complete.

Two layers check that customer_crm/i18n/customer_crm.pot is not stale:

* here, without a database (fast): a static extraction of the terms that are
  certain to be exported -- Python ``_()``/``_lt()`` strings, field strings
  and helps, selection labels, model descriptions, SQL constraint messages,
  menu, action and group names and the ``string``/``placeholder``/``help``/
  ``title``/``confirm`` attributes of views -- must all be in the .pot;
* in Odoo (customer_crm/tests/test_i18n_export.py, run by scripts/test): a
  real export with Odoo's exporter must give exactly the msgids of the .pot.

``scripts/i18n`` regenerates the .pot and merges it into de.po; every msgid
of the .pot needs a German msgstr in de.po (not fuzzy, same placeholders).
"""

import ast
import importlib.util
import re
from html import escape
from pathlib import Path

import polib
import pytest
from conftest import ADDON, ROOT
from lxml import etree

POT = ADDON / "i18n" / "customer_crm.pot"
LANGS = ["de"]
FIX = "run scripts/i18n, then translate the new entries in customer_crm/i18n/de.po"
VIEW_ATTRS = ("string", "placeholder", "help", "title", "confirm")
TRANSLATED_RECORD_FIELDS = {
    "ir.actions.act_window": ("name",),
    "ir.actions.server": ("name",),
    "ir.actions.client": ("name",),
    "ir.actions.report": ("name",),
    "res.groups": ("name", "comment"),
    "ir.module.category": ("name", "description"),
    "customer_crm.status": ("name",),
    "res.partner.category": ("name",),
}
# placeholders, and markup by tag name (attributes such as title="..." are
# translated inside the tag)
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][\w-]*")


def _exportable(term):
    """Odoo's exporter skips empty and one-character terms."""
    return len(re.sub(r"\W+", "", term or "")) > 1


@pytest.fixture(scope="module")
def pot():
    assert POT.is_file(), f"no {POT.relative_to(ADDON.parent)}: {FIX}"
    return polib.pofile(str(POT))


@pytest.fixture(scope="module", params=LANGS)
def po(request):
    path = ADDON / "i18n" / f"{request.param}.po"
    assert path.is_file(), f"no {path.name}: {FIX}"
    return polib.pofile(str(path))


# --- static extraction --------------------------------------------------------


def _const(node):
    """The string a node spells: a literal or literals joined with ``+``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _const(node.left), _const(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _field_default_string(name):
    base = name[:-4] if name.endswith("_ids") else name[:-3] if name.endswith("_id") else name
    return base.replace("_", " ").title()


def python_terms(path):
    terms = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ("_", "_lt") and node.args and _const(node.args[0]):
                terms.add(_const(node.args[0]))
        elif isinstance(node, ast.ClassDef):
            terms |= _class_terms(node)
    return terms


def _class_terms(cls):
    terms = set()
    for stmt in cls.body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            continue
        target, value = stmt.targets[0].id, stmt.value
        if target == "_description" and _const(value):
            terms.add(_const(value))
        elif target == "_sql_constraints" and isinstance(value, ast.List):
            terms |= {_const(t.elts[2]) for t in value.elts if isinstance(t, ast.Tuple) and len(t.elts) == 3}
        elif (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and getattr(value.func.value, "id", None) == "fields"
        ):
            terms |= _field_terms(target, value)
    return {t for t in terms if t}


def _field_terms(name, call):
    kwargs = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    terms = set()
    if "string" in kwargs:
        terms.add(_const(kwargs["string"]))
    elif call.func.attr in ("Char", "Text", "Html", "Boolean", "Integer", "Float", "Monetary", "Date", "Datetime"):
        # positional string of simple fields, else Odoo's default from the name
        positional = _const(call.args[0]) if call.args else None
        if positional:
            terms.add(positional)
        elif "related" not in kwargs:
            terms.add(_field_default_string(name))
    if "help" in kwargs:
        terms.add(_const(kwargs["help"]))
    if call.func.attr == "Selection":
        selection = kwargs.get("selection") or (call.args[0] if call.args else None)
        if isinstance(selection, ast.List):
            for item in selection.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    terms.add(_const(item.elts[1]))
    return terms


def xml_terms(path):
    terms = set()
    root = etree.parse(str(path)).getroot()
    for menu in root.iter("menuitem"):
        terms.add(menu.get("name"))
    for record in root.iter("record"):
        model = record.get("model")
        for field in record.findall("field"):
            if field.get("name") in TRANSLATED_RECORD_FIELDS.get(model, ()) and not len(field):
                terms.add((field.text or "").strip())
            if model == "ir.ui.view" and field.get("name") == "arch":
                for node in field.iter():
                    if isinstance(node.tag, str):
                        terms |= {node.get(attr) for attr in VIEW_ATTRS}
    return terms


def static_terms():
    terms = set()
    for path in ADDON.rglob("*.py"):
        if "tests" not in path.relative_to(ADDON).parts[:1]:
            terms |= python_terms(path)
    for folder in ("data", "views", "security", "wizards", "report"):
        for path in (ADDON / folder).rglob("*.xml"):
            terms |= xml_terms(path)
    return {t for t in terms if t and _exportable(t)}


# --- tests --------------------------------------------------------------------


def test_static_extraction_finds_terms():
    """The extraction itself works (guards against a check that cannot fail)."""
    terms = static_terms()
    assert {"Customers", "Prospects", "All Customers", "Debtor Number", "Template Customer"} <= terms


def test_pot_is_current(pot):
    msgids = {entry.msgid for entry in pot}
    # an attribute of an inline element (<i title="..."/>) is exported as part
    # of the markup around it
    markup = "\n".join(m for m in msgids if "<" in m)
    missing = sorted(t for t in static_terms() - msgids if f'="{escape(t)}"' not in markup)
    assert not missing, f"terms missing from customer_crm.pot ({FIX}): {missing}"


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

"""Static checks of the addon: manifest, data files, access rules, XML, lint."""

import ast
import csv
import subprocess
import sys
from pathlib import Path

from conftest import ADDON, ROOT
from lxml import etree

OCA_KEYS = {
    "name",
    "version",
    "license",
    "author",
    "website",
    "maintainers",
    "development_status",
    "images",
    "depends",
    "summary",
}
DATA_DIRS = ("data", "views", "security", "wizards", "report", "demo")


def test_manifest_keys(manifest):
    assert OCA_KEYS <= set(manifest), OCA_KEYS - set(manifest)
    assert manifest["version"].startswith("18.0.")
    assert len(manifest["version"].split(".")) == 5
    assert {"contacts", "sale_management", "account", "mail"} <= set(manifest["depends"])
    assert all(value not in ("", [], {}) for value in manifest.values()), "no empty keys"
    for image in manifest["images"]:
        assert (ADDON / image).is_file(), image


def test_manifest_lists_every_data_file(manifest):
    listed = set(manifest.get("data", [])) | set(manifest.get("demo", []))
    on_disk = {
        str(path.relative_to(ADDON))
        for folder in DATA_DIRS
        for path in (ADDON / folder).rglob("*")
        if path.suffix in (".xml", ".csv")
    }
    assert on_disk - listed == set(), "data files missing from the manifest"
    assert {f for f in listed if not (ADDON / f).is_file()} == set(), "manifest names missing files"
    assert manifest["data"][0].startswith("security/"), "security files come first"


def test_every_xml_file_parses():
    for path in ADDON.rglob("*.xml"):
        etree.parse(str(path))


def _models_defined():
    """(model name, is transient) of every model the addon defines."""
    found = []
    for path in ADDON.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b) for b in node.bases}
            if not bases & {"models.Model", "models.TransientModel"}:
                continue
            attrs = {
                t.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            }
            if "_name" in attrs and isinstance(attrs["_name"], ast.Constant):
                # ``_name = "sale.order"`` with ``_inherit = ["sale.order", "a.mixin"]``
                # extends an existing model (adding a mixin to it), it defines none
                inherit = attrs.get("_inherit")
                parents = [e.value for e in getattr(inherit, "elts", ()) if isinstance(e, ast.Constant)]
                if attrs["_name"].value not in parents:
                    found.append(attrs["_name"].value)
    return found


def test_every_model_has_access_rules():
    with open(ADDON / "security/ir.model.access.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    missing = [m for m in _models_defined() if "model_" + m.replace(".", "_") not in covered]
    assert not missing, f"models without access rules: {missing}"
    for row in rows:
        assert row["group_id:id"], f"{row['id']}: an ACL without group applies to everyone, portal included"


def test_ruff_lint_and_format():
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run([*ruff, "check", str(ROOT)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run([*ruff, "format", "--check", str(ROOT)], capture_output=True, text=True, check=False)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_pylint_odoo_mandatory_checks():
    rc = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc-mandatory"), str(ADDON)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert rc.returncode == 0, rc.stdout[-5000:] + rc.stderr[-2000:]


def test_tours_are_loaded_by_the_test_bundle(manifest):
    tours = list((ADDON / "static/tests/tours").glob("*.js"))
    assert tours
    assert "customer_crm/static/tests/tours/*.js" in manifest["assets"]["web.assets_tests"]


def test_no_odoo_code_in_the_repository():
    assert not (ROOT / "odoo-bin").exists()
    assert not list(Path(ROOT).glob("**/odoo/release.py"))

"""The addon as an OCA-style wheel (scripts/build-wheel, whool backend)."""

import ast
import email
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ADDON, ROOT

PREFIX = "odoo/addons/customer_crm/"
VERSION = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))["version"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([str(ROOT / "scripts/build-wheel"), str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    wheels = list(out.glob(f"odoo_addon_customer_crm-{VERSION}*-py3-none-any.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _tracked_addon_files():
    out = subprocess.run(["git", "ls-files"], cwd=ADDON, capture_output=True, text=True, check=True).stdout
    return {line for line in out.splitlines() if line and line != "pyproject.toml"}


def test_wheel_holds_the_addon(wheel, manifest):
    names = set(zipfile.ZipFile(wheel).namelist())
    inside = {n[len(PREFIX) :] for n in names if n.startswith(PREFIX)}
    assert names - {PREFIX + n for n in inside} <= {n for n in names if ".dist-info/" in n}, "only the addon"
    for required in ("__init__.py", "__manifest__.py", "models/__init__.py", "static/description/icon.png"):
        assert required in inside, required
    for data_file in manifest["data"] + manifest["demo"]:
        assert data_file in inside, data_file
    for image in manifest["images"]:
        assert image in inside, image
    assert {n for n in inside if n.startswith("views/")}, "views"
    assert {n for n in inside if n.startswith("models/") and n.endswith(".py")}, "models"
    if (ADDON / "i18n").is_dir():
        assert {n for n in inside if n.startswith("i18n/")} >= {"i18n/customer_crm.pot", "i18n/de.po"}
    if (ADDON / "static/description/index.html").is_file():
        assert "static/description/index.html" in inside
    # Everything git tracks in the addon goes in, and nothing else (no caches).
    assert inside == _tracked_addon_files()
    with zipfile.ZipFile(wheel) as zf:
        packed = ast.literal_eval(zf.read(PREFIX + "__manifest__.py").decode())
    assert packed == manifest


def test_wheel_metadata(wheel, manifest):
    with zipfile.ZipFile(wheel) as zf:
        dist_info = next(n.split("/")[0] for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(zf.read(f"{dist_info}/METADATA"))
        top_level = zf.read(f"{dist_info}/top_level.txt").decode().split()
    assert meta["Name"] == "odoo-addon-customer_crm"
    assert meta["Version"].startswith(manifest["version"])
    assert meta["License"] == "LGPL-3"
    requires = meta.get_all("Requires-Dist")
    # contacts, sale_management, account and mail are part of Odoo itself:
    # the only requirement is Odoo 18.0.
    assert requires == ["odoo==18.0.*"], requires
    assert "Framework :: Odoo :: 18.0" in meta.get_all("Classifier")
    assert top_level == ["odoo"]
    # the addon README is the long description shown by package indexes
    assert meta["Description-Content-Type"] == "text/x-rst"
    assert manifest["name"] in meta.get_payload()


def test_pip_installed_wheel_is_found_by_odoo(wheel, tmp_path, odoo_path):
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check"]
    run = subprocess.run([*pip, "--target", str(target), str(wheel)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (target / PREFIX / "__manifest__.py").is_file()
    # Odoo on sys.path first, the pip target after it (as site-packages
    # would be): Odoo's own addons search must find the installed addon
    # without any addons path naming it.
    probe = (
        "import odoo, odoo.addons\n"
        "from odoo.modules.module import get_module_path, get_manifest, initialize_sys_path\n"
        "odoo.tools.config.parse_config(['--addons-path', odoo.tools.config['root_path'] + '/../addons'])\n"
        "initialize_sys_path()\n"
        "print(get_module_path('customer_crm'))\n"
        "print(get_manifest('customer_crm')['version'])\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(odoo_path), str(target)]))
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout + run.stderr
    found, version = run.stdout.split()[-2:]
    assert Path(found) == target / PREFIX.rstrip("/")
    assert version == VERSION

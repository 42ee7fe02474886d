import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "customer_crm"


@pytest.fixture(scope="session")
def manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def odoo_path():
    path = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
    if not (path / "odoo-bin").is_file():
        pytest.fail(f"no Odoo at ODOO_PATH={path}")
    return path

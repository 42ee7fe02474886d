"""Print Odoo's requirements.txt resolved for this interpreter.

Odoo 18.0 pins, for Python 3.11, versions that no longer build here (cbor2
5.4.2, for one).  The pins it gives for Python 3.12 ship wheels and work on
3.11, so every environment marker is evaluated as if Python were 3.12 and the
markers are dropped.  python-ldap is left out: only ``auth_ldap`` needs it and
it would need the OpenLDAP headers to build.

Usage: python scripts/odoo_requirements.py $ODOO_PATH/requirements.txt
"""

import sys

try:
    from packaging.requirements import Requirement
except ImportError:  # a bare venv: pip vendors the same library
    from pip._vendor.packaging.requirements import Requirement

SKIP = {"python-ldap", "pypiwin32", "rl-renderpm"}
ENV = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}


def resolve(lines):
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.name.lower() in SKIP:
            continue
        if req.marker is not None and not req.marker.evaluate(ENV):
            continue
        req.marker = None
        yield str(req)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        print("\n".join(resolve(fh)))

# Shared settings of the project's scripts.  Sourced, not run.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=${CUSTOMER_CRM_VENV:-$HOME/.cache/customer_crm/venv}
PY="$VENV/bin/python"
export PGHOST=${PGHOST:-} PGUSER=${PGUSER:-}

die() { echo "error: $*" >&2; exit 2; }

require_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/addons" ]; then
        die "no Odoo 18.0 found at ODOO_PATH=$ODOO_PATH (looked for $ODOO_PATH/odoo-bin); check out Odoo 18.0 there or set ODOO_PATH"
    fi
    grep -q "^version_info = (18, 0" "$ODOO_PATH/odoo/release.py" \
        || die "the Odoo at $ODOO_PATH is not 18.0 ($ODOO_PATH/odoo/release.py)"
}

addons_path() {
    echo "$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$ROOT"
}

# odoo ARGS...: run odoo-bin from the venv with the project's addons path.
odoo() {
    "$PY" "$ODOO_PATH/odoo-bin" --addons-path="$(addons_path)" "$@"
}

"""The project's scripts; odoo_env is shared with bench/."""

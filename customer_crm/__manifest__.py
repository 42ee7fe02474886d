# Copyright 2026 customer_crm contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer File (CRM)",
    "summary": "Customer file for businesses that quote, sell and invoice: "
    "debtor numbers, statuses, labels, templates, activity log, overview, GDPR",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-crm/customer_crm",
    "author": "customer_crm contributors",
    "maintainers": ["customer-crm"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "images": ["static/description/icon.png"],
    "depends": ["contacts", "sale_management", "account", "mail"],
    "data": [
        # security first
        "security/customer_crm_security.xml",
        "security/ir.model.access.csv",
        "security/customer_status_security.xml",
        # base: actions and menus of the Customers app
        "views/res_partner_views.xml",
        "views/customer_crm_menus.xml",
        # debtor numbers & statuses
        "data/customer_status_data.xml",
        "views/customer_status_views.xml",
        "views/res_partner_debtor_views.xml",
        "views/res_config_settings_debtor_views.xml",
        "views/debtor_number_assign_views.xml",
        # labels
        # activity log
        # templates, discount, texts, resources
        # overview & finding customers
        # archive, delete, GDPR
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        "demo/customer_status_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [],
        "web.assets_tests": [
            "customer_crm/static/tests/tours/*.js",
        ],
    },
}

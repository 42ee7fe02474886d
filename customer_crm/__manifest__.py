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
        # base: actions and menus of the Customers app
        "views/res_partner_views.xml",
        "views/customer_crm_menus.xml",
        # debtor numbers & statuses
        # labels
        # activity log
        # templates, discount, texts, resources
        # overview & finding customers
        "data/ir_exports_mail_merge.xml",
        "views/res_partner_overview_views.xml",
        "views/res_partner_finding_views.xml",
        # archive, delete, GDPR
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        # overview & finding customers
        "demo/res_partner_overview_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            # overview & finding customers
            "customer_crm/static/src/revenue_chart/*",
        ],
        "web.assets_tests": [
            "customer_crm/static/tests/tours/*.js",
        ],
    },
}

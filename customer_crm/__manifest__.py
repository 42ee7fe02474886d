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
    "images": [
        "static/description/customer_list.png",
        "static/description/customer_form.png",
        "static/description/customer_kanban.png",
        "static/description/customer_resources.png",
        "static/description/settings_debtor.png",
    ],
    "depends": ["contacts", "sale_management", "account", "mail"],
    "data": [
        # security first
        "security/customer_crm_security.xml",
        "security/ir.model.access.csv",
        "security/customer_resource_security.xml",
        # archive, delete, GDPR (security)
        "security/gdpr_security.xml",
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
        "views/res_partner_category_label_views.xml",
        "views/sale_order_label_views.xml",
        "views/account_move_label_views.xml",
        "views/label_reapply_views.xml",
        # activity log
        "views/res_partner_activity_views.xml",
        # templates, discount, texts, resources
        "views/res_partner_template_views.xml",
        "views/res_config_settings_template_views.xml",
        "views/sale_order_template_customer_views.xml",
        "views/account_move_template_customer_views.xml",
        "data/customer_resource_type_data.xml",
        "views/customer_resource_views.xml",
        "wizards/template_apply_views.xml",
        # overview & finding customers
        "data/ir_exports_mail_merge.xml",
        "views/res_partner_overview_views.xml",
        "views/res_partner_finding_views.xml",
        # archive, delete, GDPR
        "views/res_partner_gdpr_views.xml",
        "views/customer_archive_views.xml",
        "views/customer_erase_views.xml",
        "views/customer_erasure_log_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        "demo/customer_resource_demo.xml",
        "demo/customer_status_demo.xml",
        # overview & finding customers
        "demo/res_partner_overview_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_backend": [
            # overview & finding customers
            "customer_crm/static/src/revenue_chart/*",
            # activity log
            "customer_crm/static/src/crm_log/*",
        ],
        "web.assets_tests": [
            "customer_crm/static/tests/tours/*.js",
        ],
    },
}

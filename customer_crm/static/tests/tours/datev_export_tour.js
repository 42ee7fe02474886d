import { registry } from "@web/core/registry";

// Settings › Invoicing › Debtor Numbers: the DATEV numbers of the company.
registry.category("web_tour.tours").add("customer_crm_datev_settings_tour", {
    url: "/odoo/settings#account",
    steps: () => [
        {
            content: "Enter the consultant number",
            trigger: ".o_field_widget[name='datev_consultant_number'] input",
            run: "edit 7654321",
        },
        {
            content: "Enter the client number",
            trigger: ".o_field_widget[name='datev_client_number'] input",
            run: "edit 20002",
        },
        {
            content: "The account length is 4 by default",
            trigger: ".o_field_widget[name='datev_account_length'] input:value('4')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the settings are reloaded with the numbers",
            trigger:
                "body:not(:has(.o_form_dirty)) .o_field_widget[name='datev_consultant_number'] input:value('7654321')",
        },
    ],
});

// All customers › select the page › Actions › Export to DATEV: the file is
// downloaded, and the message tells how many prospects were left out.
registry.category("web_tour.tours").add("customer_crm_datev_export_tour", {
    url: "/odoo/action-customer_crm.res_partner_action_all_customers",
    steps: () => [
        {
            content: "Select all customers of the page",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Export to DATEV",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Export to DATEV')",
            run: "click",
        },
        {
            content: "The prospects are left out, and the user is told",
            trigger: ".o_notification:contains('without a debtor number left out')",
        },
    ],
});

import { registry } from "@web/core/registry";

// A manager applies the default template to a customer chosen in the list.
registry.category("web_tour.tours").add("customer_crm_template_apply_tour", {
    url: "/odoo/customer-file-all",
    steps: () => [
        {
            content: "Select the demo customer",
            trigger: ".o_list_view .o_data_row:has(.o_data_cell:contains('Müller Haustechnik GmbH')) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the action menu",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Apply a template",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Apply Template to Customers')",
            run: "click",
        },
        {
            content: "The preview counts the customers each field changes on",
            trigger: ".modal .o_field_widget[name='preview'] td:contains('Default Discount')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary:contains('Ok')",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_notification:contains('applied')",
        },
    ],
});

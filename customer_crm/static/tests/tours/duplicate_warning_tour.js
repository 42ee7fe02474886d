import { registry } from "@web/core/registry";

// Type a customer that exists already (set up by the Python test): the form
// warns before saving, links the existing customer, and saving still works.
registry.category("web_tour.tours").add("customer_crm_duplicate_warning_tour", {
    url: "/odoo/customer-file",
    steps: () => [
        {
            content: "Create a new customer",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: "No warning for an empty customer",
            trigger: ".o_form_view:not(:has(.o_customer_crm_duplicates:visible))",
        },
        {
            content: "Type the zip",
            trigger: ".o_form_view .o_field_widget[name='zip'] input",
            run: "edit 10115 && press Tab",
        },
        {
            content: "Type the name with another spelling and legal form",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea, .o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour Mueller-Bau e.K. && press Tab",
        },
        {
            content: "The warning lists the existing customer with a link",
            trigger:
                ".o_form_view .alert-warning.o_customer_crm_duplicates a[href^='/odoo/res.partner/']:contains('Tour Müller Bau GmbH')",
        },
        {
            content: "A manager can merge them",
            trigger: ".o_form_view .o_customer_crm_duplicates .o_customer_crm_merge_duplicates",
        },
        {
            content: "Save anyway",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

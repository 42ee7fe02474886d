import { registry } from "@web/core/registry";

// Create a customer in the web client: the default template's values are
// filled in before saving (set up by the Python test).
registry.category("web_tour.tours").add("customer_crm_template_customer_tour", {
    url: "/odoo/customer-file",
    steps: () => [
        {
            content: "Create a new customer",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The template's label is filled in",
            trigger: ".o_form_view .o_field_widget[name='category_id'] .o_tag:contains('Tour-Label')",
        },
        {
            content: "Name the customer",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea, .o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour-Neukunde GmbH",
        },
        {
            content: "Open the Sales & Purchase tab",
            trigger: ".o_notebook .nav-link:contains('Sales & Purchase')",
            run: "click",
        },
        {
            content: "The template's payment terms are filled in",
            trigger: ".o_form_view .o_field_widget[name='property_payment_term_id'] input:value('Tour-Zahlungsziel')",
        },
        {
            content: "The template's discount is filled in",
            trigger: ".o_form_view .o_field_widget[name='default_discount'] input:value('4.00')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

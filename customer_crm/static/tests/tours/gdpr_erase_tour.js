import { registry } from "@web/core/registry";

// Open a customer, run the erase wizard's dry run, see the plan, erase, see the result.
registry.category("web_tour.tours").add("customer_crm_gdpr_erase_tour", {
    steps: () => [
        {
            content: "The customer's form is open",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value('Tour Löschkunde GmbH')",
        },
        {
            content: "Open the action menu",
            trigger: ".o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Choose Erase Customer (GDPR)",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Erase Customer (GDPR)')",
            run: "click",
        },
        {
            content: "Start with a dry run",
            trigger: ".modal button[name='action_dry_run']",
            run: "click",
        },
        {
            content: "The plan lists the contact person to delete",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('Tina Tour'):contains('Delete')",
        },
        {
            content: "The plan says the customer will be deleted",
            trigger: ".modal .o_customer_crm_erase_reason:contains('deleted')",
        },
        {
            content: "Erase now",
            trigger: ".modal button[name='action_erase']",
            run: "click",
        },
        {
            content: "The result tells what happened",
            trigger: ".modal .o_customer_crm_erase_result:contains('The customer was deleted')",
        },
        {
            content: "Close the wizard",
            trigger: ".modal button[name='action_open_customers']",
            run: "click",
        },
        {
            content: "Back in the customer list",
            trigger: ".o_list_view",
        },
    ],
});

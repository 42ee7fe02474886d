import { registry } from "@web/core/registry";

// Open a customer with a settled invoice, run the erase wizard's dry run: the
// plan restricts the customer until the end of the retention period and asks
// about a namesake's record; tick it, erase, see the restriction.
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
            content: "The plan restricts the customer while the law keeps its invoice",
            trigger: ".modal .o_customer_crm_erase_reason:contains('restricted')",
        },
        {
            content: "It says until when",
            trigger: ".modal .o_field_widget[name='erase_after']:contains('12/31/')",
        },
        {
            content: "The namesake is listed to check: tick it",
            trigger:
                ".modal .o_data_row:contains('Check'):contains('Tour Löschkunde') .o_field_widget[name='selected'] input",
            run: "click",
        },
        {
            content: "Erase now",
            trigger: ".modal button[name='action_erase']",
            run: "click",
        },
        {
            content: "The result tells what happened",
            trigger: ".modal .o_customer_crm_erase_result:contains('The customer was restricted and archived')",
        },
        {
            content: "Close the wizard",
            trigger: ".modal button[name='action_open_customers']",
            run: "click",
        },
        {
            content: "Back on the customer's form, which shows the restriction",
            trigger: ".o_form_view .alert-warning:contains('Restricted (GDPR)')",
        },
    ],
});

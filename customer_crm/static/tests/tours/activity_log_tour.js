import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Post a note on a quotation, open its customer, find the note in the CRM log
// and follow the link back to the quotation.
registry.category("web_tour.tours").add("customer_crm_activity_log_tour", {
    steps: () => [
        {
            content: "The quotation of the demo customer is open",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Müller Haustechnik GmbH')",
        },
        {
            content: "Log a note",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-logNote",
            run: "click",
        },
        {
            content: "Write the note",
            trigger: ".o-mail-Composer-input",
            run: "edit Called about the maintenance contract",
        },
        {
            content: "Post it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The note is in the quotation's chatter",
            trigger: ".o-mail-Message-body:contains('Called about the maintenance contract')",
        },
        ...stepUtils.goToAppSteps("customer_crm.customer_crm_menu_root", "Open the Customers app"),
        {
            content: "Open all customers",
            trigger: ".o_main_navbar a[data-menu-xmlid='customer_crm.customer_crm_menu_all_customers']",
            run: "click",
        },
        {
            content: "The list shows the customer's last activity on the quotation",
            trigger: ".o_list_view .o_data_row:contains('Müller Haustechnik GmbH') [name='last_activity_ref']:contains('Quotation')",
        },
        {
            content: "Open the customer",
            trigger: ".o_list_view .o_data_cell:contains('Müller Haustechnik GmbH')",
            run: "click",
        },
        {
            content: "Open the CRM tab",
            trigger: ".o_form_view .o_notebook a[name='customer_crm_activity_log']",
            run: "click",
        },
        {
            content: "Open the quotation from the note's log line",
            trigger: ".o_customer_crm_log .o_list_view .o_data_row:contains('Called about the maintenance contract') button[name='action_crm_open_document']",
            run: "click",
        },
        {
            content: "The quotation is open again",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row:contains('Wartungsvertrag')",
        },
        {
            content: "Back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Müller Haustechnik GmbH')",
            run: "click",
        },
        {
            content: "Open the CRM tab again",
            trigger: ".o_form_view .o_notebook a[name='customer_crm_activity_log']",
            run: "click",
        },
        {
            content: "Open the customer's full log",
            trigger: ".o_form_view button[name='action_open_crm_log']",
            run: "click",
        },
        {
            content: "A click on the note's line opens the quotation",
            trigger: ".o_list_view .o_data_row:contains('Called about the maintenance contract') .o_data_cell[name='crm_summary']",
            run: "click",
        },
        {
            content: "The quotation is open from the full log",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row:contains('Wartungsvertrag')",
        },
    ],
});

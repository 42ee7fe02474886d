import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Post the first invoice of a demo prospect, then see its debtor number and
// its new status on the customer.
registry.category("web_tour.tours").add("customer_crm_debtor_number_tour", {
    url: "/odoo/action-account.action_move_out_invoice_type",
    steps: () => [
        {
            content: "Create an invoice",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the prospect as customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Bäckerei Becker",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains('Bäckerei Becker')",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: "div[name='invoice_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose a product",
            trigger: "div[name='invoice_line_ids'] .o_selected_row .o_list_many2one[name='product_id'] input",
            run: "edit Software-Lizenz",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains('Software-Lizenz')",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_form_view .o_field_widget[name='state'] .o_arrow_button_current:contains('Posted')",
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "The customer form shows the new debtor number",
            trigger: ".o_form_view .o_field_widget[name='debtor_number'] input:not(:value(''))",
        },
        {
            content: "and the customer status",
            trigger:
                ".o_form_view .o_field_widget[name='crm_status_id'] .o_arrow_button_current:contains('Customer')",
        },
        {
            content: "No button to assign a number any more",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_assign_debtor_number']))",
        },
    ],
});

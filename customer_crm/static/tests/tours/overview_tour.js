import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const OVERVIEW = ".o_form_view .o_notebook .o_customer_crm_overview";
const LIST = ".o_view_controller.o_list_view";

// A heading of the overview opens the full, filtered list; back to the customer.
function headingSteps(heading, listCheck) {
    return [
        {
            content: `Click the heading "${heading}"`,
            trigger: `${OVERVIEW} button.o_overview_heading:contains('${heading}')`,
            run: "click",
        },
        {
            content: `The list behind "${heading}" is open, below the customer`,
            trigger: ".o_breadcrumb li.breadcrumb-item:contains('Müller Haustechnik GmbH')",
        },
        {
            content: `The list behind "${heading}" shows records`,
            trigger: listCheck,
        },
        {
            content: "Back to the customer",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "The customer's overview is shown again",
            trigger: `${OVERVIEW} .o_customer_crm_revenue_chart`,
        },
    ];
}

// Open a demo customer: the overview is the first page; click each heading
// and create a quotation for the customer.
registry.category("web_tour.tours").add("customer_crm_overview_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("customer_crm.customer_crm_menu_root", "Open the Customers app"),
        {
            content: "Open all customers, prospects included",
            trigger: ".o_main_navbar a[data-menu-xmlid='customer_crm.customer_crm_menu_all_customers']",
            run: "click",
        },
        {
            content: "The search panel filters by first letter",
            trigger: ".o_search_panel .o_search_panel_category_value:contains('M')",
        },
        {
            content: "Open the demo customer",
            trigger: ".o_list_view .o_data_cell:contains('Müller Haustechnik GmbH')",
            run: "click",
        },
        {
            content: "The overview is the open page, with the revenue chart",
            trigger: `${OVERVIEW} .o_customer_crm_revenue_chart canvas`,
        },
        {
            content: "The chart shows the total of the months",
            trigger: `${OVERVIEW} .o_customer_crm_revenue_chart:contains('Total')`,
        },
        {
            content: "Click a month of the revenue chart",
            trigger: `${OVERVIEW} .o_customer_crm_revenue_chart canvas`,
            run: "click",
        },
        {
            content: "The invoices of that month open, below the customer",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Revenue by Month')",
        },
        {
            content: "Back to the customer",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "Contact persons stay in view",
            trigger: `${OVERVIEW} .o_field_widget[name='overview_contact_ids']:contains('Anna Müller')`,
        },
        {
            content: "Smart button with the open amount",
            trigger: "button.oe_stat_button[name='action_overview_open_items']",
        },
        {
            content: "Smart button with the number of quotations",
            trigger: "button.oe_stat_button[name='action_overview_quotations']:contains('Quotations')",
        },
        {
            content: "Smart button with the number of invoices",
            trigger: "button.oe_stat_button[name='action_overview_invoices']:contains('Invoices')",
        },
        {
            content: "Open the customer's orders from their smart button",
            trigger: "button.oe_stat_button[name='action_overview_orders']:contains('Orders')",
            run: "click",
        },
        {
            content: "The customer's orders are listed",
            trigger: `${LIST} .o_data_row`,
        },
        {
            content: "Back to the customer",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "Open the overdue items from the overview's figures",
            trigger: ".o_form_view .o_notebook button.o_overview_overdue",
            run: "click",
        },
        {
            content: "The overdue items are listed, below the customer",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Overdue Items')",
        },
        {
            content: "Back to the customer",
            trigger: ".o_back_button",
            run: "click",
        },
        ...headingSteps("Open Items", `${LIST} .o_data_row`),
        ...headingSteps("Unanswered Quotations", `${LIST} .o_data_row`),
        ...headingSteps("To Do", `${LIST} .o_data_row`),
        {
            content: "A to-do of one of the customer's quotations shows in the overview too",
            trigger: `${OVERVIEW} .o_field_widget[name='overview_activity_ids'] .o_data_row:contains('Follow up the quotation (tour)')`,
        },
        {
            content: "Open the document of a to-do (here the customer itself)",
            trigger: `${OVERVIEW} .o_field_widget[name='overview_activity_ids'] .o_data_row button.o_overview_open_document`,
            run: "click",
        },
        {
            content: "The document is open, below the customer",
            trigger: ".o_breadcrumb li.breadcrumb-item:contains('Müller Haustechnik GmbH')",
        },
        {
            content: "Back to the customer",
            trigger: ".o_back_button",
            run: "click",
        },
        ...headingSteps("Revenue by Month", `${LIST} .o_group_header`),
        ...headingSteps("Last Quotations", `${LIST} .o_data_row`),
        ...headingSteps("Last Orders", `${LIST} .o_data_row`),
        ...headingSteps("Last Invoices", `${LIST} .o_data_row`),
        {
            content: "Create a new quotation for the customer",
            trigger: `.o_form_view button[name='action_overview_new_quotation']`,
            run: "click",
        },
        {
            content: "The quotation is for the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Müller Haustechnik GmbH')",
        },
        {
            content: "Add a product line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose a product",
            trigger: ".o_data_row .o_field_widget[name='product_template_id'] input",
            run: "edit Installation",
        },
        {
            content: "Pick it from the list",
            trigger: ".ui-autocomplete a:contains('Installation')",
            run: "click",
        },
        ...stepUtils.saveForm(),
    ],
});

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Open the Customers app, open a demo customer, see its form.
registry.category("web_tour.tours").add("customer_crm_smoke_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("customer_crm.customer_crm_menu_root", "Open the Customers app"),
        {
            content: "Open all customers, prospects included",
            trigger: ".o_main_navbar a[data-menu-xmlid='customer_crm.customer_crm_menu_all_customers']",
            run: "click",
        },
        {
            content: "The customer list shows a demo customer",
            trigger: ".o_list_view .o_data_cell:contains('Müller Haustechnik GmbH')",
            run: "click",
        },
        {
            content: "The customer's form is open",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value('Müller Haustechnik GmbH')",
        },
        {
            // on the Contacts page, or beside the Overview (its first page)
            content: "Its contact persons are shown",
            trigger:
                ".o_form_view .o_field_widget[name='child_ids']:contains('Anna Müller'), " +
                ".o_form_view .o_field_widget[name='overview_contact_ids']:contains('Anna Müller')",
        },
    ],
});

import { registry } from "@web/core/registry";

// Resources of the demo customers: list, "expiring in 30 days", kanban.
registry.category("web_tour.tours").add("customer_crm_resource_tour", {
    url: "/odoo/customer-resources",
    steps: () => [
        {
            content: "The list shows the resources of the customers",
            trigger: ".o_list_view .o_data_cell:contains('Heizungsanlage Werkstatt')",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter on resources expiring in 30 days",
            trigger: ".o_filter_menu .dropdown-item:contains('Expiring in 30 Days')",
            run: "click",
        },
        {
            content: "Only the expiring domain is left",
            trigger: ".o_list_view:not(:has(.o_data_cell:contains('Heizungsanlage'))) .o_data_cell:contains('mueller-haustechnik.de')",
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The card shows the type's icon",
            trigger: ".o_kanban_record:contains('mueller-haustechnik.de') i.fa-globe",
        },
    ],
});

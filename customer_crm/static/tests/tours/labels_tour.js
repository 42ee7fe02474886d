import { registry } from "@web/core/registry";

// A customer with two tags: a new quotation shows them as labels, and so
// does the invoice made from the confirmed order.
const CUSTOMER = "Müller Haustechnik GmbH";
const TAGS = ["Handwerk", "Newsletter"];

function labelSteps(where) {
    return TAGS.map((tag) => ({
        content: `The ${where} shows the customer's label ${tag}`,
        trigger: `.o_form_view .o_field_widget[name=label_ids] .o_tag:contains("${tag}")`,
    }));
}

registry.category("web_tour.tours").add("customer_crm_labels_tour", {
    steps: () => [
        {
            content: "Create a new quotation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: `Choose the customer ${CUSTOMER}`,
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Müller Haustechnik",
        },
        {
            trigger: `ul.ui-autocomplete > li > a:contains("${CUSTOMER}")`,
            run: "click",
        },
        ...labelSteps("new quotation, before saving,"),
        {
            content: "Add a product",
            trigger: 'a:contains("Add a product")',
            run: "click",
        },
        {
            trigger: 'div[name="product_template_id"] input',
            run: "edit Installation",
        },
        {
            trigger: 'ul.ui-autocomplete a:contains("Installation")',
            run: "click",
        },
        {
            content: "Confirm the quotation",
            trigger: "button[name=action_confirm]:enabled",
            run: "click",
        },
        {
            content: "It is a sales order now",
            trigger: '.o_field_widget[name=state] .o_arrow_button_current:contains("Sales Order")',
        },
        ...labelSteps("sales order"),
        {
            content: "Create the invoice",
            trigger: "button#create_invoice:enabled",
            run: "click",
        },
        {
            content: "Create it as a draft",
            trigger: ".modal button#create_invoice_open:enabled",
            run: "click",
        },
        {
            content: "The invoice is open",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids]",
        },
        ...labelSteps("invoice"),
    ],
});

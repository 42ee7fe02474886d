import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// A link beside the name in a customer list row that opens the customer's form in
// a new browser tab (the row itself opens it in the same tab).  Set on the
// list's `id` column: the address is made here, without a field of its own on
// the server; customers of the customer file (no parent, a customer rank, no
// template: the list's invisible columns) open in the Customers app, other
// partners in Contacts.
export class OpenTabField extends Component {
    static template = "customer_crm.OpenTabField";
    static props = { ...standardFieldProps };

    get href() {
        const { data, resId } = this.props.record;
        if (!resId) {
            return "";
        }
        const inFile = !data.parent_id && data.customer_rank > 0 && !data.is_template_customer;
        return `/odoo/${inFile ? "customer-file" : "res.partner"}/${resId}`;
    }
}

registry.category("fields").add("customer_crm_open_tab", {
    component: OpenTabField,
    displayName: _t("Open in a new tab"),
    supportedTypes: ["integer"],
});

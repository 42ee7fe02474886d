import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// A link at the end of a customer list row that opens the customer's form in
// a new browser tab (the row itself opens it in the same tab).
export class OpenTabField extends Component {
    static template = "customer_crm.OpenTabField";
    static props = { ...standardFieldProps };

    get href() {
        return this.props.record.data[this.props.name] || "";
    }
}

registry.category("fields").add("customer_crm_open_tab", {
    component: OpenTabField,
    displayName: _t("Open in a new tab"),
    supportedTypes: ["char"],
});

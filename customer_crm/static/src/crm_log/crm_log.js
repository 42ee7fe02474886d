import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { View } from "@web/views/view";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer's CRM log on its form: the list view of its log lines
 * (mail.message linked to the customer), loaded when the "CRM" page is
 * opened rather than with the form, so that opening a customer does not read
 * its whole log.  A click on a line opens the document it was written on
 * (the list view's row action).
 */
export class CrmLog extends Component {
    static template = "customer_crm.CrmLog";
    static components = { View };
    static props = { ...standardWidgetProps };

    get viewProps() {
        const { record } = this.props;
        return {
            resModel: "mail.message",
            type: "list",
            views: [
                [false, "list"],
                [false, "search"],
            ],
            domain: [["crm_partner_id", "=", record.resId]],
            context: {
                ...record.context,
                list_view_ref: "customer_crm.mail_message_view_list_crm_log",
            },
            display: { controlPanel: false },
            allowSelectors: false,
            loadIrFilters: false,
            searchMenuTypes: [],
        };
    }
}

registry.category("view_widgets").add("customer_crm_log", { component: CrmLog });

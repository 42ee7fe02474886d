import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const WIDTH = 360;
const HEIGHT = 150;
const LABEL_HEIGHT = 18;

/**
 * Revenue of the customer per month as bars (SVG), from the Json field
 * computed by res.partner.revenue_by_month: {months: [{month, amount}],
 * currency_id}.  Negative months (more credit notes than invoices) are drawn
 * below the base line.
 */
export class RevenueChartField extends Component {
    static template = "customer_crm.RevenueChartField";
    static props = { ...standardFieldProps };

    get data() {
        return this.props.record.data[this.props.name] || { months: [] };
    }

    get total() {
        return this.data.months.reduce((sum, m) => sum + m.amount, 0);
    }

    get hasRevenue() {
        return this.data.months.some((m) => m.amount);
    }

    format(amount) {
        return formatMonetary(amount, { currencyId: this.data.currency_id });
    }

    get totalLabel() {
        return _t("Total: %(amount)s", { amount: this.format(this.total) });
    }

    get bars() {
        const months = this.data.months;
        const max = Math.max(0, ...months.map((m) => m.amount));
        const min = Math.min(0, ...months.map((m) => m.amount));
        const span = max - min || 1;
        const chartHeight = HEIGHT - LABEL_HEIGHT;
        const baseline = (max / span) * chartHeight;
        const step = WIDTH / Math.max(months.length, 1);
        return months.map((m, index) => {
            const height = (Math.abs(m.amount) / span) * chartHeight;
            const [year, month] = m.month.split("-");
            return {
                key: m.month,
                x: index * step + step * 0.15,
                width: step * 0.7,
                y: m.amount >= 0 ? baseline - height : baseline,
                height: Math.max(height, m.amount ? 1 : 0),
                negative: m.amount < 0,
                title: `${month}/${year}: ${this.format(m.amount)}`,
                // every third month is labelled, the current one included
                label: (months.length - 1 - index) % 3 === 0 ? `${month}/${year.slice(2)}` : "",
                labelX: index * step + step / 2,
            };
        });
    }

    get viewBox() {
        return `-12 0 ${WIDTH + 24} ${HEIGHT}`;
    }

    get labelY() {
        return HEIGHT - 4;
    }
}

registry.category("fields").add("customer_crm_revenue_chart", {
    component: RevenueChartField,
    displayName: _t("Revenue chart"),
    supportedTypes: ["json"],
});

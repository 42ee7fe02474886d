import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

/**
 * Revenue of the customer per month as a bar chart of Odoo's Chart.js, from
 * the Json field that res.partner.revenue_by_month() fills:
 * {months: [{month: "YYYY-MM", amount}], currency_id}.  Every month shows,
 * empty ones included; a click on a month opens its invoices.
 */
export class RevenueChartField extends Component {
    static template = "customer_crm.RevenueChartField";
    static props = { ...standardFieldProps };

    setup() {
        this.action = useService("action");
        this.orm = useService("orm");
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                if (this.canvasRef.el) {
                    this.chart = new Chart(this.canvasRef.el, this.config);
                }
                return () => this.chart?.destroy();
            },
            () => [this.months]
        );
    }

    get months() {
        return this.props.record.data[this.props.name]?.months || [];
    }

    get hasRevenue() {
        return this.months.some((m) => m.amount);
    }

    format(amount) {
        return formatMonetary(amount, { currencyId: this.props.record.data[this.props.name].currency_id });
    }

    get totalLabel() {
        const total = this.months.reduce((sum, m) => sum + m.amount, 0);
        return _t("Total: %(amount)s", { amount: this.format(total) });
    }

    get config() {
        const scheme = cookie.get("color_scheme");
        const color = getColor(1, scheme, "odoo");
        const negative = getColor(2, scheme, "odoo");
        return {
            type: "bar",
            data: {
                labels: this.months.map((m) => DateTime.fromFormat(m.month, "yyyy-MM").toFormat("MMM yy")),
                datasets: [
                    {
                        data: this.months.map((m) => m.amount),
                        backgroundColor: this.months.map((m) => (m.amount < 0 ? negative : color)),
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                interaction: { mode: "index", intersect: false },
                onClick: (event, elements) => elements.length && this.openMonth(elements[0].index),
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length ? "pointer" : "default";
                },
                plugins: {
                    legend: { display: false },
                    tooltip: { callbacks: { label: (item) => this.format(item.raw) } },
                },
                scales: {
                    x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
                    y: {
                        ticks: {
                            callback: (value) =>
                                formatFloat(value, { humanReadable: true, decimals: 2, minDigits: 1 }),
                        },
                    },
                },
            },
        };
    }

    async openMonth(index) {
        const action = await this.orm.call("res.partner", "action_overview_revenue", [this.props.record.resId], {
            month: this.months[index].month,
        });
        this.action.doAction(action);
    }
}

registry.category("fields").add("customer_crm_revenue_chart", {
    component: RevenueChartField,
    displayName: _t("Revenue chart"),
    supportedTypes: ["json"],
});

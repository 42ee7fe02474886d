import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { formatDate } from "@web/core/l10n/dates";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

// The paths a user clicks through in the web client (issue 14): a new customer
// from the full form, Archive from the form and the list, a direct invoice with
// the customer's discount, and finding customers by their last activity.
// The Python tests (tests/test_ui.py) set up the data and run them in English
// and German: the words of the customer file are checked in both.
const WORDS = {
    en: {
        prospect: "Prospect",
        archiveTitle: "Archive Customers",
        archive: "Archive",
        restoreTitle: "Restore Customers",
        restore: "Restore",
        unarchive: "Unarchive",
        before: "Last activity before",
        after: "Last activity after",
        status: "Status",
        quoteSent: "Quote sent",
    },
    de: {
        prospect: "Interessent",
        archiveTitle: "Kunden archivieren",
        archive: "Archivieren",
        restoreTitle: "Kunden wiederherstellen",
        restore: "Wiederherstellen",
        unarchive: "Archivierung aufheben",
        before: "Letzte Aktivität vor",
        after: "Letzte Aktivität nach",
        status: "Status",
        quoteSent: "Angebot offen",
    },
};
const words = () => (user.lang.startsWith("de") ? WORDS.de : WORDS.en);

const NAME_INPUT =
    ".o_form_view .o_field_widget[name='name'] textarea, .o_form_view .o_field_widget[name='name'] input";

registry.category("web_tour.tours").add("customer_crm_new_customer_tour", {
    url: "/odoo/customer-file",
    steps: () => [
        {
            content: "Create a new customer",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name the customer",
            trigger: NAME_INPUT,
            run: "edit Tour-Formkunde GmbH",
        },
        ...stepUtils.saveForm(),
        {
            content: "The status bar shows the default prospect status",
            trigger: `.o_form_view .o_field_widget[name='crm_status_id'] .o_arrow_button_current:contains('${words().prospect}')`,
        },
        {
            content: "Create another customer",
            trigger: ".o_form_button_create",
            run: "click",
        },
        {
            content: "Start it from a template without a status",
            trigger: ".o_form_view .o_field_widget[name='template_customer_id'] input",
            run: "edit Tour-Vorlage ohne Status",
        },
        {
            content: "Pick the template",
            trigger: ".ui-menu-item a:contains('Tour-Vorlage ohne Status')",
            run: "click",
        },
        {
            content: "Name the customer",
            trigger: NAME_INPUT,
            run: "edit Tour-Vorlagenkunde GmbH",
        },
        ...stepUtils.saveForm(),
        {
            content: "It has the default prospect status too",
            trigger: `.o_form_view .o_field_widget[name='crm_status_id'] .o_arrow_button_current:contains('${words().prospect}')`,
        },
    ],
});

// Archive from the form's gear menu; the dialog asks about the contact persons.
function archiveDialogSteps() {
    return [
        {
            content: "Odoo asks for confirmation",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The archive dialog of the customer file opens",
            trigger: `.modal .modal-title:contains('${words().archiveTitle}')`,
        },
        {
            content: "It counts the contact persons",
            trigger: ".modal .o_field_widget[name='contact_count']:contains('1')",
        },
        {
            content: "Archive them too",
            trigger: `.modal-footer button[name='action_confirm']:contains('${words().archive}')`,
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("customer_crm_archive_tour", {
    steps: () => [
        {
            content: "The customer's form is open",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea:value('Tour-Archivkunde GmbH'), .o_form_view .o_field_widget[name='name'] input:value('Tour-Archivkunde GmbH')",
        },
        {
            content: "Open the gear menu",
            trigger: ".o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Choose Archive",
            trigger: `.o-dropdown--menu .dropdown-item:contains('Archive'), .o-dropdown--menu .dropdown-item:contains('${words().archive}')`,
            run: "click",
        },
        ...archiveDialogSteps(),
        {
            content: "The customer is archived",
            trigger: ".o_form_view .ribbon:contains('Archived'), .o_form_view .ribbon:contains('Archiviert')",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a",
            run: "click",
        },
        {
            content: "Select the second customer",
            trigger: ".o_list_view .o_data_row:contains('Tour-Listenkunde AG') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the action menu",
            trigger: ".o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Choose Archive",
            trigger: `.o-dropdown--menu .dropdown-item:contains('Archive'), .o-dropdown--menu .dropdown-item:contains('${words().archive}')`,
            run: "click",
        },
        ...archiveDialogSteps(),
        {
            content: "The archived customer leaves the list",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour-Listenkunde AG')))",
        },
    ],
});

registry.category("web_tour.tours").add("customer_crm_restore_tour", {
    url: "/odoo/customer-file-all",
    steps: () => [
        {
            content: "Select the archived customer",
            trigger: ".o_list_view .o_data_row:contains('Tour-Listenkunde AG') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the action menu",
            trigger: ".o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Choose Unarchive",
            trigger: `.o-dropdown--menu .dropdown-item:contains('Unarchive'), .o-dropdown--menu .dropdown-item:contains('${words().unarchive}')`,
            run: "click",
        },
        {
            content: "The restore dialog opens",
            trigger: `.modal .modal-title:contains('${words().restoreTitle}')`,
        },
        {
            content: "Restore the contact persons too",
            trigger: `.modal-footer button[name='action_confirm']:contains('${words().restore}')`,
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("customer_crm_invoice_discount_tour", {
    url: "/odoo/action-account.action_move_out_invoice_type",
    steps: () => [
        {
            content: "Create an invoice",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour-Rabattkunde",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains('Tour-Rabattkunde')",
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
            run: "edit Tour-Rabattprodukt",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains('Tour-Rabattprodukt')",
            run: "click",
        },
        {
            content: "The line shows the customer's discount",
            trigger: "div[name='invoice_line_ids'] .o_selected_row [name='discount'] input:value('5.00')",
        },
        ...stepUtils.saveForm(),
        {
            content: "The saved line shows the discount in its column",
            trigger: "div[name='invoice_line_ids'] .o_data_row .o_data_cell[name='discount']:contains('5.00')",
        },
    ],
});

registry.category("web_tour.tours").add("customer_crm_quotation_discount_tour", {
    url: "/odoo/action-sale.action_quotations",
    steps: () => [
        {
            content: "Create a quotation",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour-Rabattkunde",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains('Tour-Rabattkunde')",
            run: "click",
        },
        {
            content: "Add a product",
            trigger: "div[name='order_line'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose a product",
            trigger: "div[name='order_line'] .o_selected_row [name='product_template_id'] input",
            run: "edit Tour-Rabattprodukt",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains('Tour-Rabattprodukt')",
            run: "click",
        },
        {
            content: "The discount column is shown with the customer's discount",
            trigger: "div[name='order_line'] .o_selected_row [name='discount'] input:value('5.00')",
        },
        ...stepUtils.saveForm(),
    ],
});

function searchDateSteps(which, shown, hidden) {
    const date = formatDate(DateTime.fromISO("2017-10-26"));
    return [
        {
            content: `Type a date in the search box`,
            trigger: ".o_searchview_input",
            run: `edit ${date}`,
        },
        {
            content: `The search offers "${words()[which]}: ${date}"`,
            trigger: `.o_searchview_autocomplete .o_menu_item:contains('${words()[which]}: ${date}')`,
            run: "click",
        },
        {
            content: "The facet names the filter",
            trigger: `.o_searchview_facet:contains('${words()[which]}'):contains('${date}')`,
        },
        {
            content: `${shown} is listed`,
            trigger: `.o_list_view .o_data_row:contains('${shown}')`,
        },
        {
            content: `${hidden} is not`,
            trigger: `.o_list_view:not(:has(.o_data_row:contains('${hidden}')))`,
        },
        {
            content: "Remove the facet",
            trigger: `.o_searchview_facet:contains('${words()[which]}') .o_facet_remove`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("customer_crm_search_activity_tour", {
    url: "/odoo/customer-file-all",
    steps: () => [
        ...searchDateSteps("before", "Tour-Altkunde", "Tour-Neukunde"),
        ...searchDateSteps("after", "Tour-Neukunde", "Tour-Altkunde"),
        {
            content: "The search panel lists the statuses",
            trigger: `.o_search_panel .o_search_panel_section:contains('${words().status}') .o_search_panel_label_title:contains('${words().quoteSent}')`,
            run: "click",
        },
        {
            content: "The chosen status stays highlighted",
            trigger: `.o_search_panel .o_search_panel_category_value header.active:contains('${words().quoteSent}')`,
        },
        {
            content: "Only customers of that status are listed",
            trigger: ".o_list_view .o_data_row:contains('Tour-Neukunde')",
        },
        {
            content: "and no other",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour-Altkunde')))",
        },
        {
            content: "Each row has a link that opens the customer in a new tab",
            trigger: ".o_list_view .o_data_row:contains('Tour-Neukunde') a.o_customer_crm_open_tab[target='_blank'][href^='/odoo/customer-file/']",
        },
    ],
});

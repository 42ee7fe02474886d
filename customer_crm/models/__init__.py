# One file per model and capability (see README "Architecture").
#
# The import order matters for res.partner.create, whose overrides run from
# the file imported last to the first: res_partner_finding (a short name from
# the name, before a template could give one), res_partner_template (the
# template's values for the keys not given), res_partner_debtor (the default
# status, which must see a status or customer rank the template gave).  Keep
# debtor numbers before templates before finding.
from . import res_partner

# debtor numbers & statuses
from . import customer_status
from . import ir_sequence_debtor
from . import res_company_debtor
from . import res_config_settings_debtor
from . import res_partner_debtor
from . import res_partner_datev
from . import account_move_debtor
from . import sale_order_debtor
from . import res_users_debtor

# labels
from . import customer_label_mixin
from . import res_partner_category_label
from . import res_partner_label
from . import sale_order_label
from . import account_move_label

# activity log
from . import mail_message
from . import mail_thread
from . import res_partner_activity

# templates, discount, texts, resources
from . import res_partner_template
from . import res_company_template
from . import res_users_template
from . import res_config_settings_template
from . import res_partner_discount
from . import res_partner_texts
from . import sale_order_line_discount
from . import account_move_line_discount
from . import sale_order_texts
from . import account_move_texts
from . import sale_order_template_customer
from . import account_move_template_customer
from . import customer_resource_type
from . import customer_resource
from . import res_partner_resource

# overview & finding customers
from . import res_partner_overview
from . import res_partner_finding
from . import account_move_overview

# archive, delete, GDPR
from . import res_partner_archive
from . import res_partner_gdpr_consent
from . import res_partner_gdpr_lookup
from . import res_partner_gdpr_export
from . import res_partner_gdpr_erase
from . import res_company_gdpr
from . import res_config_settings_gdpr
from . import sale_order_gdpr
from . import account_move_gdpr

# customer insight: payment behaviour, duplicate warning
from . import res_partner_payment
from . import res_partner_duplicate

# One file per model and capability (see README "Architecture").
from . import res_partner

# debtor numbers & statuses
from . import customer_status
from . import ir_sequence_debtor
from . import res_company_debtor
from . import res_config_settings_debtor
from . import res_partner_debtor
from . import account_move_debtor
from . import sale_order_debtor

# labels
# activity log
# templates, discount, texts, resources
from . import res_partner_template
# overview & finding customers
# archive, delete, GDPR

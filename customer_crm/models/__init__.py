# One file per model and capability (see README "Architecture").
from . import res_partner

# debtor numbers & statuses
from . import res_partner_debtor

# labels
from . import customer_label_mixin
from . import res_partner_category_label
from . import res_partner_label
from . import sale_order_label
from . import account_move_label

# activity log
# templates, discount, texts, resources
from . import res_partner_template
# overview & finding customers
# archive, delete, GDPR

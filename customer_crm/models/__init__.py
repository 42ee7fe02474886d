# One file per model and capability (see README "Architecture").
from . import res_partner

# debtor numbers & statuses
from . import res_partner_debtor

# labels
# activity log
# templates, discount, texts, resources
from . import res_partner_template

# overview & finding customers
from . import res_partner_overview
from . import res_partner_finding
from . import account_move_overview
# archive, delete, GDPR

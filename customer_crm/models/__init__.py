# One file per model and capability (see README "Architecture").
from . import res_partner

# debtor numbers & statuses
from . import res_partner_debtor

# labels
# activity log
from . import mail_message
from . import mail_thread
from . import res_partner_activity

# templates, discount, texts, resources
from . import res_partner_template
# overview & finding customers
# archive, delete, GDPR

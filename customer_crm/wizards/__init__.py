# Transient models (wizards), one file per wizard.

# templates, discount, texts, resources
from . import template_apply

# labels
from . import label_reapply

# archive, delete, GDPR
from . import customer_archive
from . import customer_erase

# debtor numbers & statuses
from . import debtor_number_assign
from . import base_partner_merge_debtor

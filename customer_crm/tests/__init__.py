from . import test_app
from . import test_ui
from . import test_i18n_export
from . import test_bad_input
from . import test_template_customer
from . import test_default_discount
from . import test_default_texts
from . import test_customer_resource
from . import test_labels
from . import test_activity_log
from . import test_gdpr

# debtor numbers & statuses
from . import test_customer_status
from . import test_debtor_number
from . import test_overview
from . import test_debtor_report
from . import test_datev
from . import test_portal_access

# customer insight: payment behaviour, duplicate warning
from . import test_payment_behaviour
from . import test_duplicate_warning

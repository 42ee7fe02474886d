from . import test_app
from . import test_ui

# debtor numbers & statuses
from . import test_customer_status
from . import test_debtor_number

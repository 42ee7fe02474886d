from . import test_app
from . import test_ui
from . import test_i18n_export
from . import test_bad_input
from . import test_template_customer
from . import test_default_discount
from . import test_default_texts
from . import test_customer_resource

from . import test_app
from . import test_ui
from . import test_i18n_export
from . import test_bad_input

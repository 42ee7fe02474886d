from . import test_app
from . import test_ui
from . import test_overview

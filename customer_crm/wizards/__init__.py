# Transient models (wizards), one file per wizard.
# debtor numbers & statuses
from . import debtor_number_assign

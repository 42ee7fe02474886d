# Transient models (wizards), one file per wizard.

# archive, delete, GDPR
from . import customer_archive
from . import customer_erase

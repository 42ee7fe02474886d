# Transient models (wizards), one file per wizard.
# labels
from . import label_reapply

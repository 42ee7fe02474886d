# Transient models (wizards), one file per wizard.

# templates, discount, texts, resources
from . import template_apply
# labels
from . import label_reapply

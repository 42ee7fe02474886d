# Transient models (wizards), one file per wizard.

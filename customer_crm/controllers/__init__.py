from . import gdpr_export
from . import mail_merge

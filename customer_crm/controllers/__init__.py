from . import mail_merge

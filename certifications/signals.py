"""Events the tier engine listens to, sent after the change commits.

- credential_issued, credential_renewed, credential_revoked, credential_suspended,
  credential_reinstated: credential (a Credential), user, certification
- credentials_expired: credential_ids and user_ids (lists), one send per batch, because
  `expire_credentials` moves many at once
"""

from django.dispatch import Signal

credential_issued = Signal()
credential_renewed = Signal()
credential_revoked = Signal()
credential_suspended = Signal()
credential_reinstated = Signal()
credentials_expired = Signal()

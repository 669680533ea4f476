"""Events other apps listen to (the tier engine re-evaluates on both)."""

from django.dispatch import Signal

# Sent with organization=..., user=... after the change is committed.
member_joined = Signal()
member_left = Signal()

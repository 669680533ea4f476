"""What every playbook block shares: the preview template and the rich-text features."""

from __future__ import annotations

# The block picker's previews, in the portal's own stylesheets.
PREVIEW_TEMPLATE = "playbooks/blocks/preview.html"
TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

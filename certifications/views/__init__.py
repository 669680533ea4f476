"""Views of the certifications app: verification and certificates, Open Badges, team views."""

"""Views of the playbooks app, one module per part."""

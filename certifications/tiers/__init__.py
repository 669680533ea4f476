"""Partner tiers: rules as data, the pure engine, and the services around it."""

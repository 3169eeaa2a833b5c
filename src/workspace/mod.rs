//! The stack file: schema, environments, value layering, selectors.

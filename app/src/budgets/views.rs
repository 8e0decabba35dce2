//! The optimiser page.

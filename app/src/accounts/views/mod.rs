//! The accounts feature's signed-in pages.

mod settings;

pub use settings::Settings;

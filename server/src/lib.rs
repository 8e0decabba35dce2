//! Everything only the server does: configuration, storage adapters, domain services, HTTP.

pub mod accounts;
pub mod ads;
pub mod budgets;
pub mod config;
pub mod contacts;
pub mod crypto;
pub mod email;
pub mod enquiries;
pub mod http;
pub mod integrations;
pub mod jobs;
pub mod limits;
pub mod memory;
pub mod optimiser;
pub mod secrets;
pub mod simulate;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod whatsapp;

//! API tests: the real application on port 0 with a real embedded store in a temporary directory.

mod ads;
mod auth;
mod budgets;
mod contact;
mod contacts;
mod email;
mod health;
mod helpers;
mod imports;
mod inbox;
mod jobs;
mod members;
mod pages;
mod password_reset;
mod secrets_at_rest;
mod security;
mod simulation;
mod smtp;
mod static_files;
mod webhook;

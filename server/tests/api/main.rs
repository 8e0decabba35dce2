//! API tests: the real application on port 0 with a real embedded store in a temporary directory.

mod contact;
mod health;
mod helpers;
mod pages;
mod security;

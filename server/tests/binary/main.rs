//! Tests of the real `adronx` binary, each server in a process of its own as in production.

mod renders;
mod resume;
mod support;

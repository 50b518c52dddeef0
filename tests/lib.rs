//! One integration test binary (as just does), so the suite links once.

mod common;
mod errors;
mod semantics;

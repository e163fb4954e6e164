//! Settings of this installation. The connection profile decides which database the app
//! works on: the embedded SQLite file (default) or a team PostgreSQL server; the session
//! says who works in the window.

pub mod connection;
pub mod files;
pub mod language;
pub mod offline;
pub mod session;

//! Settings of this installation. The connection profile decides which database the app
//! works on: the embedded SQLite file (default) or a team PostgreSQL server.

pub mod connection;
pub mod language;

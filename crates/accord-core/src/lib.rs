//! Accord's core: everything the product does, behind one door ([`door::Door`]).
//! No Tauri here: the desktop shell, the CLI and the tests all call the same operations.

pub mod audit;
pub mod changelog;
pub mod clock;
pub mod collation;
pub mod customers;
pub mod data;
pub mod door;
pub mod error;
pub mod history;
pub mod installation;
pub mod logging;
pub mod paging;
pub mod records;
pub mod search;
pub mod security;
pub mod seed;
pub mod settings;
pub mod validate;

pub use door::{Door, Operation, Scope};
pub use error::{ApiError, ErrorCode, FieldCode};
pub use security::{Actor, Permission, Role};

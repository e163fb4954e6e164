//! `accord`: the command-line door to the core. Every operation the UI can call is callable
//! here with JSON in and JSON out (INTEG-5), against SQLite or PostgreSQL.

mod bench;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use accord_core::door::{registry, typescript};
use accord_core::installation::Installation;
use accord_core::{Actor, ApiError, Door, data, seed};
use clap::{Parser, Subcommand};
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "accord", version, about = "Accord CRM from the command line: JSON in, JSON out.")]
struct Cli {
    /// `sqlite:PATH` or `postgres://user@host/db`. Default: the embedded database in the app-data folder.
    #[arg(long, global = true, env = "ACCORD_DB")]
    db: Option<String>,
    /// Act as this user (the password comes from ACCORD_PASSWORD, never from the command
    /// line; a two-factor code from ACCORD_CODE). Without it, the owner of a local database
    /// acts; a team server with users refuses to run operations for nobody.
    #[arg(long, global = true, env = "ACCORD_LOGIN")]
    login: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the schema (refuses a database newer than this binary).
    Migrate,
    /// Run one operation: `accord op customers.create_organisation --json '{"name":"…"}'`.
    Op {
        name: String,
        /// The input as JSON; `-` reads it from standard input.
        #[arg(long, default_value = "{}")]
        json: String,
    },
    /// List the operations with their permissions.
    Ops,
    /// Generate deterministic customers (English, Russian, Persian).
    Seed {
        #[arg(long, default_value_t = 1000)]
        orgs: usize,
        #[arg(long, default_value_t = 3000)]
        contacts: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write the UI's generated TypeScript types (ui/src/api/generated.ts).
    Codegen {
        #[arg(long, default_value = "ui/src/api/generated.ts")]
        out: PathBuf,
    },
    /// Set up a team PostgreSQL server so that it enforces access itself (run as a
    /// PostgreSQL superuser; see README, "A team server").
    Server {
        #[command(subcommand)]
        action: ServerAction,
    },
    /// Make `--db` (a new SQLite file) a laptop's replica of a team server: everything the
    /// `--login` user may read there, to work on offline (docs/user-guide/working-offline.md).
    Replica {
        #[command(subcommand)]
        action: ReplicaAction,
    },
    /// Sync the replica `--db` with its server: push its changes, pull the server's.
    Sync {
        /// The server, `postgres://user@host/db` (the password in ACCORD_DB_PASSWORD or the URL).
        #[arg(long, env = "ACCORD_SERVER")]
        server: String,
    },
    /// Benchmarks that print figures (see docs/performance.md).
    Bench {
        #[command(subcommand)]
        which: bench::Which,
    },
}

#[derive(Subcommand)]
enum ServerAction {
    /// Roles, ownership, grants and row-level security; run again after each `accord migrate`
    /// (which does it by itself on a server already set up).
    Init {
        /// Names the group roles `<prefix>_owner` and `<prefix>_users` (default: the database's name).
        #[arg(long)]
        prefix: Option<String>,
    },
    /// Give an Accord user their own PostgreSQL login role. The password comes from
    /// ACCORD_DB_PASSWORD; without it a random one is made and printed once.
    AddUser {
        #[arg(long)]
        login: String,
        /// The role's name (default: `<prefix>_<login>`).
        #[arg(long)]
        db_role: Option<String>,
    },
    /// Close a departing user's own role: no further log-in, open connections ended.
    RemoveUser {
        #[arg(long)]
        login: String,
    },
    /// The server's rules service: fire the workflow rules over the changes its users made
    /// (their own roles cannot write what a rule makes for colleagues elsewhere), and the date
    /// rules. Run with the administrator's connection; `--watch` keeps it running.
    Rules {
        /// Keep running: look for new changes every `--every` seconds, and run the date rules
        /// every quarter of an hour.
        #[arg(long)]
        watch: bool,
        #[arg(long, default_value_t = 2)]
        every: u64,
    },
}

#[derive(Subcommand)]
enum ReplicaAction {
    /// Create the replica and pull what the user may read.
    Create {
        #[arg(long, env = "ACCORD_SERVER")]
        server: String,
    },
    /// Where the replica stands: its server, its user, when it last synced, what waits.
    Status,
}

/// The team server a replica syncs with, and who acts there (`--login` signs in on it).
async fn open_server(url: &str, login: Option<&str>) -> Result<(Door, Actor, Option<String>), ApiError> {
    let db = match std::env::var("ACCORD_DB_PASSWORD").ok().filter(|p| !p.is_empty()) {
        Some(password) => {
            let (address, user) = accord_core::sync::split_user(url);
            data::open_server(&address, &user, &password).await?
        }
        None => data::open(url).await?,
    };
    let door = Door::on_server(db, device_id()).await?;
    let (actor, token) = sign_in(&door, login, url).await?;
    Ok((door, actor, token))
}

/// The embedded database in the OS app-data folder.
fn default_db() -> Result<String, ApiError> {
    let installation =
        Installation::from_os().map_err(|e| ApiError { message: format!("{} Pass --db.", e.message), ..e })?;
    Ok(installation.embedded_database_url())
}

/// This installation's device id (shared with the desktop app).
fn device_id() -> Uuid {
    Installation::from_os().map(|i| i.device_id()).unwrap_or_else(|_| Uuid::now_v7())
}

/// The door on `url` for this installation: its device id, and the audit checkpoints it
/// shares with the desktop app (none when the app-data folder cannot be found).
async fn open_door(url: &str) -> Result<Door, ApiError> {
    let door = Door::open(url, device_id()).await?;
    Ok(match Installation::from_os() {
        Ok(installation) => door.witnessed_by(installation.audit_witness(url)),
        Err(_) => door,
    })
}

/// `accord server rules`: the event rules over what was committed since the last run, then
/// the date rules; with `watch`, again and again (the date rules each quarter of an hour) until
/// stopped. Prints what one run did; with `watch`, a line per run that fired something.
async fn rules_service(door: &Door, watch: bool, every: std::time::Duration) -> Result<serde_json::Value, ApiError> {
    use accord_core::workflow::{RunDue, RunLogged, RunLoggedInput};
    let owner = Actor::local_owner();
    let mut dates_due = std::time::Instant::now();
    loop {
        let (mut read, mut fired) = (0u64, 0u64);
        loop {
            let run = door.call::<RunLogged>(&owner, RunLoggedInput::default()).await?;
            read += u64::from(run.read);
            fired += run.fired;
            if run.complete {
                break;
            }
        }
        let mut date_fired = 0;
        if std::time::Instant::now() >= dates_due {
            date_fired = door.call::<RunDue>(&owner, Default::default()).await?.fired;
            dates_due = std::time::Instant::now() + accord_core::reminders::DATE_RULES_EVERY;
        }
        let report = serde_json::json!({"read": read, "fired": fired, "date_fired": date_fired});
        if !watch {
            return Ok(report);
        }
        if fired + date_fired > 0 {
            println!("{report}");
        }
        tokio::time::sleep(every).await;
    }
}

fn read_input(json: &str) -> Result<serde_json::Value, ApiError> {
    let text = if json == "-" {
        let mut buffer = String::new();
        std::io::stdin().read_to_string(&mut buffer).map_err(|e| {
            ApiError::field("input", accord_core::FieldCode::WrongType, format!("Cannot read standard input: {e}"))
        })?;
        buffer
    } else {
        json.to_owned()
    };
    serde_json::from_str(&text).map_err(|e| {
        ApiError::field(
            "input",
            accord_core::FieldCode::WrongType,
            format!("The input is not valid JSON ({e}); pass an object such as '{{\"name\":\"…\"}}'."),
        )
    })
}

/// Who the command acts as, and the session to end afterwards.
async fn sign_in(door: &Door, login: Option<&str>, url: &str) -> Result<(Actor, Option<String>), ApiError> {
    let Some(login) = login else {
        // A laptop's replica works as its user, with what the server allowed at the last sync.
        if let Some(actor) = accord_core::sync::replica_actor(door).await? {
            return Ok((actor, None));
        }
        if url.starts_with("postgres") && door.has_users().await? {
            return Err(ApiError::new(
                accord_core::ErrorCode::SignedOut,
                "This team server has users: pass --login (the password in ACCORD_PASSWORD, a two-factor code in ACCORD_CODE).",
            ));
        }
        return Ok((Actor::local_owner(), None));
    };
    let password = std::env::var("ACCORD_PASSWORD").map_err(|_| {
        ApiError::field("password", accord_core::FieldCode::Required, "Set ACCORD_PASSWORD to the password of --login.")
    })?;
    // Only read where the account has two-factor sign-in; a code is valid for 30 seconds.
    let second_factor = std::env::var("ACCORD_CODE").ok().filter(|code| !code.trim().is_empty());
    let (os_account, machine) = accord_core::installation::os_identity();
    let credentials = accord_core::Credentials {
        login: login.to_owned(),
        password,
        second_factor,
        remember: false,
        os_account,
        machine,
    };
    let signed_in = door.sign_in(credentials).await.map_err(|e| match e.code {
        accord_core::ErrorCode::SecondFactorRequired => ApiError::new(
            e.code,
            "This account has two-factor sign-in: set ACCORD_CODE to the code your authenticator app shows now (or a recovery code).",
        ),
        _ => e,
    })?;
    Ok((signed_in.actor, Some(signed_in.token)))
}

/// Runs `work` as the command's user and ends their session afterwards.
async fn as_user<F, Fut>(door: &Door, login: Option<&str>, url: &str, work: F) -> Result<serde_json::Value, ApiError>
where
    F: FnOnce(Actor) -> Fut,
    Fut: std::future::Future<Output = Result<serde_json::Value, ApiError>>,
{
    let (actor, token) = sign_in(door, login, url).await?;
    let result = work(actor).await;
    if let Some(token) = token {
        door.sign_out(&token).await?;
    }
    result
}

async fn run(cli: Cli) -> Result<serde_json::Value, ApiError> {
    let db_url = || cli.db.clone().map(Ok).unwrap_or_else(default_db);
    let login = cli.login.as_deref();
    match cli.command {
        Command::Migrate => {
            let db = data::open(&db_url()?).await?;
            let report = data::migrate(&db).await?;
            // New tables of a server that enforces access get its ownership, grants and policies.
            let server = accord_core::server::reapply_if_set_up(&db).await?;
            Ok(serde_json::json!({"migrations": report, "server": server}))
        }
        Command::Op { ref name, ref json } => {
            let input = read_input(json)?;
            let url = db_url()?;
            let door = &open_door(&url).await?;
            // A job the operation started (an import) ends before the command does.
            as_user(door, login, &url, |actor| async move {
                let output = door.dispatch(&actor, name, input).await;
                door.finish_jobs().await;
                output
            })
            .await
        }
        Command::Ops => Ok(registry::operations()
            .map(|op| serde_json::json!({"name": op.name, "permission": op.permission, "audited": op.audited, "summary": op.summary}))
            .chain(registry::all_host().iter().map(|op| {
                serde_json::json!({"name": op.name, "permission": op.permission, "summary": op.summary, "desktop_only": true})
            }))
            .collect()),
        Command::Seed { orgs, contacts, seed } => {
            let url = db_url()?;
            let door = &open_door(&url).await?;
            as_user(door, login, &url, |actor| async move {
                let report = seed::seed_customers(door, &actor, seed, orgs, contacts).await?;
                Ok(serde_json::to_value(report).unwrap_or_default())
            })
            .await
        }
        Command::Codegen { ref out } => {
            std::fs::write(out, typescript::generate())
                .map_err(|e| ApiError::internal(format!("Cannot write {}: {e}", out.display())))?;
            Ok(serde_json::json!({"written": out}))
        }
        Command::Server { action: ServerAction::Rules { watch, every } } => {
            let door = open_door(&db_url()?).await?;
            rules_service(&door, watch, std::time::Duration::from_secs(every.max(1))).await
        }
        Command::Server { action } => {
            let db = data::open(&db_url()?).await?;
            let done = match action {
                ServerAction::Init { prefix } => {
                    data::migrate(&db).await?;
                    serde_json::to_value(accord_core::server::init(&db, prefix.as_deref()).await?)
                }
                ServerAction::AddUser { login, db_role } => {
                    let password = std::env::var("ACCORD_DB_PASSWORD").ok().filter(|p| !p.is_empty());
                    serde_json::to_value(accord_core::server::add_user(&db, &login, db_role.as_deref(), password).await?)
                }
                ServerAction::RemoveUser { login } => {
                    let role = accord_core::server::remove_user(&db, &login).await?;
                    Ok(serde_json::json!({"login": login, "db_role": role, "can_log_in": false}))
                }
                ServerAction::Rules { .. } => unreachable!("handled above"),
            };
            Ok(done.unwrap_or_default())
        }
        Command::Replica { action } => {
            let url = db_url()?;
            let local = open_door(&url).await?;
            match action {
                ReplicaAction::Create { server } => {
                    let (remote, actor, token) = open_server(&server, login).await?;
                    let address = accord_core::sync::public_address(&server);
                    let report =
                        accord_core::sync::create_replica(&local, &Actor::local_owner(), &remote, &actor, &address).await;
                    if let Some(token) = token {
                        remote.sign_out(&token).await?;
                    }
                    Ok(serde_json::to_value(report?).unwrap_or_default())
                }
                ReplicaAction::Status => {
                    let actor = Actor::local_owner();
                    let status = local
                        .call::<accord_core::sync::GetReplicaStatus>(&actor, accord_core::sync::ReplicaStatusInput {})
                        .await?;
                    let rejected = local
                        .call::<accord_core::sync::ListRejected>(&actor, accord_core::sync::ListRejectedInput {})
                        .await?;
                    let mut shown = serde_json::to_value(status).unwrap_or_default();
                    if let Some(object) = shown.as_object_mut() {
                        object.insert("rejected_changes".into(), serde_json::to_value(rejected).unwrap_or_default());
                    }
                    Ok(shown)
                }
            }
        }
        Command::Sync { ref server } => {
            let local = open_door(&db_url()?).await?;
            let (remote, actor, token) = open_server(server, login).await?;
            let report = accord_core::sync::sync(&local, &Actor::local_owner(), &remote, &actor).await;
            if let Some(token) = token {
                remote.sign_out(&token).await?;
            }
            let report = report?;
            // The server's changes arrived; this replica's wait for the next sync: say so, and fail.
            if let Some(problem) = report.push_problem.clone() {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
                return Err(problem);
            }
            Ok(serde_json::to_value(report).unwrap_or_default())
        }
        Command::Bench { which } => bench::run(which).await,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    accord_core::logging::to_stderr();
    match run(Cli::parse()).await {
        Ok(output) => {
            println!("{}", serde_json::to_string_pretty(&output).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}", serde_json::to_string_pretty(&error).unwrap_or_else(|_| error.message.clone()));
            ExitCode::FAILURE
        }
    }
}

//! `athanor`: Athanor's command-line tool.
//!
//! ```text
//! athanor reflect sqlite:///chinook.db --table Album      # psql's \d, for people
//! athanor reflect sqlite:///chinook.db --format json     # SQLAlchemy Inspector keys, for tools
//! athanor chinook sqlite:///chinook.db [--replace]       # install the Chinook sample database
//! ```
//!
//! A user's mistake (a bad URL, an unreachable database, an unknown table) prints one line,
//! `error: ...`, on stderr and exits with status 1; a usage error exits with status 2.

mod chinook;
mod reflect;

use std::io::Write;
use std::process::ExitCode;

use athanor::{Engine, Url, create_engine};
use clap::{Parser, Subcommand, ValueEnum};

/// Athanor's command-line tool: look at a database's structure, install Chinook.
#[derive(Debug, Parser)]
#[command(name = "athanor", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the structure of a database's tables: columns, keys, indexes.
    Reflect {
        /// The database URL, as for create_engine (sqlite:///file.db, postgresql://user@host/db).
        url: String,
        /// Only this table (repeat for more); all tables when not given.
        #[arg(long = "table", short = 't', value_name = "NAME")]
        tables: Vec<String>,
        /// The schema (PostgreSQL schema, MySQL database); the default schema when not given.
        #[arg(long, short = 's')]
        schema: Option<String>,
        /// `text` for people, `json` for tools (SQLAlchemy Inspector key names).
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create the Chinook sample database's tables and fill them.
    Chinook {
        /// The database URL, as for create_engine.
        url: String,
        /// Drop Chinook's tables first if the database already has them.
        #[arg(long)]
        replace: bool,
    },
}

/// How `reflect` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned, readable tables, like psql's `\d`.
    Text,
    /// One JSON document.
    Json,
}

/// What ends a command early: printed as one `error: ...` line.
#[derive(Debug)]
struct Failure(String);

impl From<athanor::Error> for Failure {
    fn from(e: athanor::Error) -> Self {
        Failure(e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure(e.to_string())
    }
}

/// The cargo feature of this crate that carries the driver for a URL's dialect, if it was left
/// out of this build (the library's own message names the library's feature instead).
fn missing_driver(dialect: &str) -> Option<&'static str> {
    match dialect {
        "sqlite" if !cfg!(feature = "sqlite") => Some("sqlite"),
        "postgresql" | "postgres" if !cfg!(feature = "postgres") => Some("postgres"),
        "mysql" | "mariadb" if !cfg!(feature = "mysql") => Some("mysql"),
        _ => None,
    }
}

/// An engine on `url`, connected once; or a message saying what is wrong (a bad URL, a
/// driver this build lacks, an unreachable database).
///
/// With `must_exist`, a SQLite URL naming a file that does not exist is an error too (SQLite
/// would create an empty database, hiding a typo in the path).
fn open_engine(url: &str, must_exist: bool) -> Result<Engine, Failure> {
    let parsed = Url::parse(url)?;
    if let Some(feature) = missing_driver(parsed.dialect()) {
        return Err(Failure(format!(
            "this athanor was built without the {feature} driver; rebuild it with \
             `cargo install --path crates/athanor-cli --features {feature}`"
        )));
    }
    if must_exist
        && parsed.dialect() == "sqlite"
        && let Some(path) = parsed.database.as_deref()
        && path != ":memory:"
        && !std::path::Path::new(path).exists()
    {
        return Err(Failure(format!("no SQLite database file at '{path}'")));
    }
    let engine = create_engine(url)?;
    // Connect once up front, so an unreachable database is named as such.
    if let Err(e) = engine.connect() {
        return Err(Failure(format!("cannot connect to {}: {e}", engine.url())));
    }
    Ok(engine)
}

fn run(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Reflect {
            url,
            tables,
            schema,
            format,
        } => reflect::run(&url, &tables, schema.as_deref(), format),
        Command::Chinook { url, replace } => chinook::run(&url, replace),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = match run(cli) {
        Ok(out) => out,
        Err(Failure(message)) => {
            // Database errors carry the SQL on further lines; one line is what users read.
            let line = message.lines().next().unwrap_or("unknown error");
            eprintln!("error: {line}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // `athanor reflect ... | head` closes the pipe early: not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn tables_repeat_and_format_defaults_to_text() {
        let cli =
            Cli::try_parse_from(["athanor", "reflect", "sqlite://", "-t", "A", "--table", "B"])
                .map_err(|e| e.to_string());
        let Ok(Cli {
            command: Command::Reflect { tables, format, .. },
        }) = cli
        else {
            panic!("not a reflect command: {cli:?}");
        };
        assert_eq!(tables, ["A", "B"]);
        assert_eq!(format, Format::Text);
    }
}

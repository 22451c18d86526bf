//! The harness: expectations as data, result normalization, and the engines the cases run on.

use std::fmt;
use std::sync::OnceLock;

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

/// One value of a result, normalized as the corpus's README says: integral numbers as
/// integers, other numbers rounded to 4 places, NULL as `Null`, dates as text.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Norm {
    /// NULL.
    Null,
    /// An integral number.
    Int(i64),
    /// A non-integral number, in units of 10⁻⁴ (so equality is exact after rounding).
    Dec(i64),
    /// Text (dates and datetimes as `YYYY-MM-DD HH:MM:SS`).
    Text(String),
}

impl Norm {
    /// A float rounded to 4 places; integral results become [`Norm::Int`].
    fn float(x: f64) -> Norm {
        let scaled = (x * 10_000.0).round() as i64;
        if scaled % 10_000 == 0 {
            Norm::Int(scaled / 10_000)
        } else {
            Norm::Dec(scaled)
        }
    }

    /// Normalizes a value from a result row.
    pub(crate) fn of(v: &Value) -> Norm {
        match v {
            Value::Null => Norm::Null,
            Value::Bool(b) => Norm::Int(i64::from(*b)),
            Value::Int(i) => Norm::Int(*i),
            Value::Float(x) => Norm::float(*x),
            Value::Text(s) => Norm::Text(s.clone()),
            Value::Bytes(b) => Norm::Text(String::from_utf8_lossy(b).into_owned()),
            // Feature-gated kinds (decimals, dates, ...) by their literal form: a number, or a
            // quoted text with any fraction of a second dropped.
            other => {
                let s = other.to_string();
                match s.parse::<f64>() {
                    Ok(x) => Norm::float(x),
                    Err(_) => {
                        let s = s.trim_matches('\'');
                        Norm::Text(s.split('.').next().unwrap_or(s).to_string())
                    }
                }
            }
        }
    }
}

impl From<i64> for Norm {
    fn from(i: i64) -> Norm {
        Norm::Int(i)
    }
}
impl From<f64> for Norm {
    fn from(x: f64) -> Norm {
        Norm::float(x)
    }
}
impl From<&str> for Norm {
    fn from(s: &str) -> Norm {
        Norm::Text(s.to_string())
    }
}

impl fmt::Debug for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Norm::Null => f.write_str("None"),
            Norm::Int(i) => write!(f, "{i}"),
            Norm::Dec(d) => {
                let sign = if *d < 0 { "-" } else { "" };
                let frac = format!("{:04}", d.unsigned_abs() % 10_000);
                write!(
                    f,
                    "{sign}{}.{}",
                    d.unsigned_abs() / 10_000,
                    frac.trim_end_matches('0')
                )
            }
            Norm::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// Expected rows: `rows![[1, "AC/DC"], [2, "Accept"]]`; `Norm::Null` for NULL.
macro_rules! rows {
    ($([$($v:expr),* $(,)?]),* $(,)?) => {
        vec![$(vec![$($crate::conformance::support::Norm::from($v)),*]),*]
    };
}
pub(crate) use rows;

/// The kind of error a database raised (SQLAlchemy's exception class without `Error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// `ProgrammingError`: invalid SQL for the database (unknown relation, bad GROUP BY).
    Programming,
}

impl ErrorKind {
    fn matches(self, e: &athanor::Error) -> bool {
        match self {
            ErrorKind::Programming => matches!(e, athanor::Error::Programming(_)),
        }
    }
}

/// What one database gives for a case.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// These rows, in this order.
    Rows(Vec<Vec<Norm>>),
    /// The same rows as SQLite.
    SameAsSqlite,
    /// An error of this kind; the server's message as the corpus recorded it.
    Error(ErrorKind, &'static str),
}

/// A case's expectations for every dialect of the corpus.
#[derive(Debug, Clone)]
pub(crate) struct Expect {
    /// The result's column names.
    pub(crate) columns: &'static [&'static str],
    /// On SQLite.
    pub(crate) sqlite: Outcome,
    /// On PostgreSQL 15.
    pub(crate) postgresql: Outcome,
    /// On MariaDB 10.11.
    pub(crate) mysql: Outcome,
}

impl Expect {
    /// The outcome for a dialect by its name (`sqlite`, `postgresql`, `mysql`), with
    /// [`Outcome::SameAsSqlite`] resolved.
    fn outcome(&self, dialect: &str) -> &Outcome {
        let o = match dialect {
            "postgresql" => &self.postgresql,
            "mysql" => &self.mysql,
            _ => &self.sqlite,
        };
        match o {
            Outcome::SameAsSqlite => &self.sqlite,
            o => o,
        }
    }
}

/// A case body: builds its statement from the Chinook tables of `md` and runs it on `engine`.
pub(crate) type Body = fn(&Engine, &MetaData) -> Result<CursorResult>;

/// One case of the corpus.
pub(crate) struct Case {
    /// The corpus id (also the test's name).
    pub(crate) id: &'static str,
    /// The statement, run.
    pub(crate) body: Body,
    /// What it gives on each dialect.
    pub(crate) expect: fn() -> Expect,
}

impl Case {
    /// A case: its id, body and expectations.
    pub(crate) const fn new(id: &'static str, body: Body, expect: fn() -> Expect) -> Case {
        Case { id, body, expect }
    }
}

/// Chinook on in-memory SQLite, loaded once for the whole binary.
pub(crate) fn sqlite_chinook() -> &'static (Engine, MetaData) {
    static CHINOOK: OnceLock<(Engine, MetaData)> = OnceLock::new();
    CHINOOK.get_or_init(|| {
        athanor::chinook::load().unwrap_or_else(|e| panic!("loading Chinook into SQLite: {e}"))
    })
}

/// A Chinook table by name, whatever schema it was reflected from.
pub(crate) fn table(md: &MetaData, name: &str) -> Result<Table> {
    match md.tables().into_iter().find(|t| t.name() == name) {
        Some(t) => Ok(t),
        None => md.try_table(name),
    }
}

/// Executes a statement on a new connection of `engine`.
pub(crate) fn run<S: Executable + ?Sized>(engine: &Engine, stmt: &S) -> Result<CursorResult> {
    engine.connect()?.execute(stmt)
}

/// Runs a case on an engine holding Chinook (`md` reflected from it) and checks the outcome
/// expected for the engine's dialect: the column names and rows, or the kind of error.
///
/// # Panics
/// When the outcome differs from the expectation.
#[track_caller]
pub(crate) fn check_on(engine: &Engine, md: &MetaData, case: &Case) {
    let (id, expect) = (case.id, (case.expect)());
    let dialect = engine.dialect().name();
    match (expect.outcome(dialect), (case.body)(engine, md)) {
        (Outcome::Rows(want), Ok(result)) => {
            let columns: Vec<String> = result.columns().to_vec();
            let rows: Vec<Vec<Norm>> = result
                .all()
                .unwrap_or_else(|e| panic!("[{dialect}] {id}: reading rows: {e}"))
                .iter()
                .map(|r| r.values().iter().map(Norm::of).collect())
                .collect();
            assert_eq!(columns, expect.columns, "[{dialect}] {id}: column names");
            assert_eq!(&rows, want, "[{dialect}] {id}: rows");
        }
        (Outcome::Rows(_), Err(e)) => panic!("[{dialect}] {id}: expected rows, got error: {e}"),
        (Outcome::Error(kind, message), Ok(_)) => {
            panic!("[{dialect}] {id}: expected {kind:?} error ({message}), got rows")
        }
        (Outcome::Error(kind, _), Err(e)) => {
            assert!(
                kind.matches(&e),
                "[{dialect}] {id}: expected {kind:?} error, got: {e}"
            );
        }
        (Outcome::SameAsSqlite, _) => unreachable!("resolved by Expect::outcome"),
    }
}

//! The PostgreSQL driver (the synchronous `postgres` crate).
//!
//! Connecting ([`tls`]): TLS with rustls from libpq's URL options (`sslmode=`,
//! `sslrootcert=`; plain text without them), and `connect_timeout=SECONDS` bounding the whole
//! handshake (TCP connect, TLS, authentication) with an `Error::Timeout` past it.
//!
//! Going out ([`bind`]): PostgreSQL binds strictly (an `i64` only to `INT8`), so each value
//! is adapted to the type the prepared statement reports for its parameter: `Value::Int(7)`
//! goes out as `INT4` for an `integer` column and as `NUMERIC` for a `numeric` one; text goes
//! into `date`, `uuid`, ... by parsing. A value that would not arrive exactly (a fraction or
//! 1e20 for an integer, 2^53 + 1 for a double, a time with nanoseconds that are not whole
//! microseconds or a leap second, alone, in a timestamp or in an array) is `Error::Data`. Types the driver doesn't
//! write in binary (arrays, enums, network, geometric, ...) go in text format, which the
//! server parses with the type's own input function.
//!
//! Coming back ([`decode`], [`wire`], [`text_forms`], [`render`]): the crate receives every
//! column in binary format; the driver reads every built-in format it knows (arrays as
//! `Value::Array`, intervals as `Value::Interval`, the long tail as the text PostgreSQL
//! prints) and has the server print the rest, never handing over wire bytes.
//!
//! Statements are prepared once per connection and cached ([`statements`]); DDL through the
//! connection drops the cache, and a statement made stale by another connection's DDL is
//! prepared again once.
//!
//! The `postgres` client runs its own Tokio runtime: don't call it from inside an async
//! runtime (use `spawn_blocking`); an async API comes later on the same core.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use athanor_core::dialect::{Dialect, Postgres, postgres::map_error};
use athanor_core::error::DatabaseError;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Statement};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};

mod array_text;
mod bind;
mod decode;
mod render;
mod statements;
mod text_forms;
mod tls;
mod wire;

use bind::{ParamError, PgParam};
use decode::{Decode, decodes, needs_server, read_row, set_aside};
use statements::{Statements, is_stale};
use tls::TlsOptions;

type BoxError = Box<dyn StdError + Sync + Send>;

pub(crate) struct PostgresDriver {
    config: postgres::Config,
    tls: TlsOptions,
}

impl PostgresDriver {
    pub(crate) fn new(url: &Url) -> Result<Self> {
        let mut config = postgres::Config::new();
        let host = url.host.as_deref().unwrap_or("localhost");
        config.host(host);
        if let Some(p) = url.port {
            config.port(p);
        }
        config.user(url.username.as_deref().unwrap_or("postgres"));
        if let Some(pw) = &url.password {
            config.password(pw);
        }
        if let Some(db) = &url.database {
            config.dbname(db);
        }
        config.application_name("athanor");
        let (mut sslmode, mut sslrootcert, mut timeout) = (None, None, None);
        for (k, v) in &url.query {
            match k.as_str() {
                "application_name" => {
                    config.application_name(v);
                }
                "connect_timeout" => {
                    let secs: u64 = v.parse().map_err(|_| {
                        Error::argument(format!(
                            "connect_timeout={v} in the URL is not a whole number of seconds"
                        ))
                    })?;
                    // 0 is no limit, as in libpq.
                    timeout = (secs > 0).then(|| Duration::from_secs(secs));
                }
                "options" => {
                    config.options(v);
                }
                "sslmode" => sslmode = Some(v.as_str()),
                "sslrootcert" => sslrootcert = Some(v.as_str()),
                _ => {}
            }
        }
        if let Some(t) = timeout {
            // The TCP connect; tls.rs's deadline covers the rest of the handshake.
            config.connect_timeout(t);
        }
        let port = url.port.unwrap_or(5432);
        let tls = TlsOptions::new(sslmode, sslrootcert, timeout, host, port, &mut config)?;
        Ok(PostgresDriver { config, tls })
    }
}

impl Driver for PostgresDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(Postgres)
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        let client = self.tls.connect(&self.config)?;
        Ok(Box::new(PgConnection {
            client,
            statements: Statements::default(),
            decode_buf: Vec::new(),
        }))
    }
}

struct PgConnection {
    client: Client,
    statements: Statements,
    /// The column decodings of the last result, kept for the next (no allocation per query).
    decode_buf: Vec<Decode>,
}

impl PgConnection {
    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        self.statements.get(&mut self.client, sql)
    }

    /// Runs `f` with `stmt`, the prepared statement for `sql` (already checked to take
    /// `given` parameters); when the server calls it stale, prepares it again and runs `f`
    /// once more (see [`statements`]). Returns the statement that ran and what `f` returned.
    fn run<T>(
        &mut self,
        sql: &str,
        stmt: Statement,
        given: usize,
        mut f: impl FnMut(&mut Client, &Statement) -> std::result::Result<T, postgres::Error>,
    ) -> Result<(Statement, T)> {
        let out = match f(&mut self.client, &stmt) {
            Ok(t) => (stmt, t),
            Err(e) if is_stale(&e) => {
                let stmt = self.statements.reprepare(&mut self.client, sql, e)?;
                check_count(&stmt, given)?;
                let t = f(&mut self.client, &stmt).map_err(to_error)?;
                (stmt, t)
            }
            Err(e) => return Err(to_error(e)),
        };
        self.statements.after(sql);
        Ok(out)
    }
}

/// Maps a `postgres` error: server errors by SQLSTATE, the rest by what failed. A closed
/// connection or a socket error (broken pipe, reset, EOF) is [`Error::Disconnect`], as are the
/// server's own "connection is ending" codes (57P01 `pg_terminate_backend`, 57P02, 57P03,
/// class 08). The `postgres::Error` is kept as the error's source.
pub(crate) fn to_error(e: postgres::Error) -> Error {
    classify(&e).with_source(e)
}

fn classify(e: &postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let mut msg = db.message().to_string();
        if let Some(d) = db.detail() {
            msg.push_str(&format!(" ({d})"));
        }
        let mut err = map_error(db.code().code(), &msg);
        if let Some(d) = err.database_error_mut() {
            d.constraint = db.constraint().map(str::to_string);
            d.schema = db.schema().map(str::to_string);
            d.table = db.table().map(str::to_string);
            d.column = db.column().map(str::to_string);
        }
        return err;
    }
    let text = e.to_string();
    let mut chain = text.clone();
    let mut src = e.source();
    while let Some(s) = src {
        chain.push_str(&format!(": {s}"));
        src = s.source();
    }
    if e.is_closed() || e.source().is_some_and(|s| s.is::<std::io::Error>()) {
        return Error::Disconnect(DatabaseError::new(chain));
    }
    if let Some(conv) = e.source().and_then(|s| s.downcast_ref::<ParamError>()) {
        return Error::Data(DatabaseError::new(conv.0.clone()));
    }
    if text.contains("error serializing parameter") || text.contains("error deserializing") {
        return Error::Data(DatabaseError::new(chain));
    }
    Error::Operational(DatabaseError::new(chain))
}

/// Maps an error opening a connection: the server's refusal by its SQLSTATE (57P03: starting
/// up or shutting down), anything else (refused, unreachable, authentication) is
/// [`Error::Operational`], as SQLAlchemy's: there was no connection to lose.
/// A failed connect: a socket error there is the server refusing or unreachable
/// ([`Error::Operational`]), not a connection lost.
pub(super) fn connect_error(e: postgres::Error) -> Error {
    match to_error(e) {
        Error::Disconnect(d) if d.code.is_none() => Error::Operational(d),
        other => other,
    }
}

fn params<'a>(values: impl IntoIterator<Item = &'a Value>) -> Vec<PgParam<'a>> {
    values.into_iter().map(PgParam).collect()
}

/// Hands the statement's column names to the sink unless the caller knows them.
fn report_columns(stmt: &Statement, known: Option<usize>, sink: &mut dyn RowSink) -> Result<()> {
    if known == Some(stmt.columns().len()) {
        return Ok(());
    }
    sink.columns(
        stmt.columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
    )
}

impl DriverConnection for PgConnection {
    fn execute(&mut self, sql: &str, values: &[&Value]) -> Result<ExecOutcome> {
        let ps = params(values.iter().copied());
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        let (_, n) = self.run(sql, stmt, values.len(), |c, stmt| c.execute(stmt, &refs))?;
        Ok(ExecOutcome {
            rowcount: n,
            last_insert_id: None,
        })
    }

    /// The whole result is read in one call (`Client::query` reads it into the client's
    /// runtime at once; `query_raw`'s iterator re-enters the runtime for every row), then
    /// handed to the sink row by row.
    fn query(
        &mut self,
        sql: &str,
        values: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        let n = stmt.columns().len();
        if n == 0 {
            // No result columns (text() DML): the count changed comes from the command tag,
            // which only the streaming path reports.
            return self.stream(sql, values, known_columns, sink);
        }
        let ps = params(values.iter().copied());
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        // Prepared again if stale: its columns may differ from the first statement's.
        let (stmt, rows) = self.run(sql, stmt, values.len(), |c, stmt| c.query(stmt, &refs))?;
        let n = stmt.columns().len();
        report_columns(&stmt, known_columns, sink)?;
        let mut buf = row_buffer(n);
        let mut decode = std::mem::take(&mut self.decode_buf);
        decodes(&stmt, &mut decode);
        let mut printed = if decode.contains(&Decode::Server) {
            let pending = set_aside(&rows, &decode)?;
            Some(pending.print(&mut self.client, &mut self.statements)?)
        } else {
            None
        };
        let mut count = 0usize;
        for row in &rows {
            count += 1;
            read_row(row, &decode, &mut buf, &mut printed)?;
            if !sink.row(&mut buf)? {
                break;
            }
        }
        self.decode_buf = decode;
        // SELECT reports the rows read; with RETURNING they are the rows changed.
        Ok(QueryDone {
            outcome: ExecOutcome {
                rowcount: rows.len() as u64,
                last_insert_id: None,
            },
            rows: count,
        })
    }

    fn stream(
        &mut self,
        sql: &str,
        values: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let ps = params(values.iter().copied());
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        if needs_server(&stmt) {
            // The server prints some values after the whole result is read (see `render`).
            return self.query(sql, values, known_columns, sink);
        }
        // The rows borrow the client: read them in `drain`, which returns, so the stale-retry
        // path below holds no borrow.
        let stale = match self
            .client
            .query_raw(&stmt, ps.iter().map(|p| p as &dyn ToSql))
        {
            Ok(rows) => {
                let done = drain(rows, &stmt, known_columns, sink, &mut self.decode_buf);
                self.statements.after(sql);
                return done;
            }
            Err(e) if is_stale(&e) => e,
            Err(e) => return Err(to_error(e)),
        };
        let stmt = self.statements.reprepare(&mut self.client, sql, stale)?;
        check_count(&stmt, values.len())?;
        let rows = self
            .client
            .query_raw(&stmt, ps.iter().map(|p| p as &dyn ToSql))
            .map_err(to_error)?;
        let done = drain(rows, &stmt, known_columns, sink, &mut self.decode_buf);
        self.statements.after(sql);
        done
    }

    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
        mut each: Option<&mut dyn FnMut(ExecOutcome) -> Result<()>>,
    ) -> Result<u64> {
        let mut stmt = self.prepare(sql)?;
        check_count(&stmt, width)?;
        let mut values = row_buffer(width);
        let mut total = 0;
        while next(&mut values)? {
            let ps = params(&values);
            let refs: Vec<&(dyn ToSql + Sync)> =
                ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let changed = match self.client.execute(&stmt, &refs) {
                Ok(n) => n,
                Err(e) if is_stale(&e) => {
                    stmt = self.statements.reprepare(&mut self.client, sql, e)?;
                    check_count(&stmt, width)?;
                    self.client.execute(&stmt, &refs).map_err(to_error)?
                }
                Err(e) => return Err(to_error(e)),
            };
            total += changed;
            if let Some(each) = each.as_mut() {
                each(ExecOutcome {
                    rowcount: changed,
                    last_insert_id: None,
                })?;
            }
        }
        self.statements.after(sql);
        Ok(total)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(to_error)?;
        self.statements.after_script(sql);
        Ok(())
    }

    fn script(&mut self, sql: &str) -> Result<u64> {
        let messages = self.client.simple_query(sql).map_err(to_error)?;
        self.statements.after_script(sql);
        Ok(messages
            .iter()
            .map(|m| match m {
                postgres::SimpleQueryMessage::CommandComplete(n) => *n,
                _ => 0,
            })
            .sum())
    }

    fn is_healthy(&mut self) -> bool {
        !self.client.is_closed()
    }

    fn ping(&mut self) -> Result<()> {
        // An empty simple query: one round trip, no parse, no plan.
        self.client
            .is_valid(std::time::Duration::from_secs(30))
            .map_err(to_error)
    }

    fn set_statement_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<()> {
        // The setting counts milliseconds; 0 would mean none, so it is refused. RESET goes
        // back to the session's default (the server's, the role's or the database's).
        let sql = match timeout {
            Some(t) => {
                let ms = crate::engine::timeouts::millis(t, false)
                    .map_err(|why| Error::argument(format!("statement timeout: {why}")))?;
                format!("SET statement_timeout = {ms}")
            }
            None => "RESET statement_timeout".to_string(),
        };
        self.batch(&sql).map_err(|e| e.with_statement(&sql, None))
    }
}

/// Hands a streamed result to the sink, row by row.
fn drain(
    mut rows: postgres::RowIter<'_>,
    stmt: &Statement,
    known_columns: Option<usize>,
    sink: &mut dyn RowSink,
    decode_buf: &mut Vec<Decode>,
) -> Result<QueryDone> {
    report_columns(stmt, known_columns, sink)?;
    let mut buf = row_buffer(stmt.columns().len());
    let mut decode = std::mem::take(decode_buf);
    decodes(stmt, &mut decode);
    let mut count = 0usize;
    while let Some(row) = rows.next().map_err(to_error)? {
        count += 1;
        read_row(&row, &decode, &mut buf, &mut None)?;
        if !sink.row(&mut buf)? {
            break;
        }
    }
    let rowcount = rows.rows_affected().unwrap_or(count as u64);
    *decode_buf = decode;
    Ok(QueryDone {
        outcome: ExecOutcome {
            rowcount,
            last_insert_id: None,
        },
        rows: count,
    })
}

fn check_count(stmt: &Statement, given: usize) -> Result<()> {
    let expected = stmt.params().len();
    if expected != given {
        return Err(Error::Programming(DatabaseError::new(format!(
            "the statement takes {expected} parameters but {given} were given"
        ))));
    }
    Ok(())
}

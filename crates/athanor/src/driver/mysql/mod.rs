//! The MySQL / MariaDB driver (the `mysql` crate, pure-Rust build, TLS with rustls).
//! Statement timeouts are MariaDB's `max_statement_time` (every statement) or MySQL's
//! `max_execution_time` (read-only `SELECT`s only).
//!
//! Statements are prepared server-side and cached per connection. Capabilities that depend on
//! the server are detected on connect: MariaDB ≥ 10.5 has `INSERT/DELETE ... RETURNING`.
//! Connections use `utf8mb4` and add `NO_AUTO_VALUE_ON_ZERO` to the session's `sql_mode`, so
//! an explicit `0` in an `AUTO_INCREMENT` column is stored as 0, not replaced by a new key, and
//! `STRICT_ALL_TABLES`, so a value a column can't hold (out of range, too long, not a date) is
//! an error on every table engine instead of a clamped or cut value with a warning.
//! Values cross the wire exactly or fail with [`Error::Data`]: see [`values`] for each kind.
//! A URL naming `127.0.0.1` or `localhost` connects through the server's Unix socket when it
//! can (asked with `SELECT @@socket`, falling back to TCP), as the `mysql` crate does by
//! default: a round trip costs less. `?prefer_socket=false` keeps TCP.
//!
//! **TLS** (the `mysql` crate's rustls build, `ring` provider) from the mysql client's options:
//!
//! | `ssl-mode=` (any case; also `ssl_mode`) | TLS | the server's certificate |
//! |---|---|---|
//! | `DISABLED` (the default without `ssl-ca`) | never | — |
//! | `PREFERRED` | if the server has it, else plain (a second connect) | not checked |
//! | `REQUIRED` | always (fails if the server has none) | not checked, as the mysql client |
//! | `VERIFY_CA` (the default with `ssl-ca`) | always | chain checked |
//! | `VERIFY_IDENTITY` | always | chain and host name (an IP host must be an IP SAN) |
//!
//! `ssl-ca=PATH` (also `ssl_ca`) is a PEM file of CA certificates, checked when the engine is
//! created and read by the crate on each connect. The crate trusts the Mozilla roots
//! (`webpki-roots`) besides it: `VERIFY_*` without `ssl-ca` checks against those, and a
//! certificate from a public CA passes `VERIFY_CA` even when `ssl-ca` names a private one.
//! Any mode but `DISABLED` keeps the connection on TCP (`prefer_socket` defaults to false:
//! the Unix socket is not encrypted; `prefer_socket=true` with a mode that requires TLS is an
//! `Error::Argument`). A certificate that fails verification is an `Error::Operational`
//! naming the rustls reason and `ssl-ca=`. The crate builds its TLS configuration on rustls's
//! process-wide provider: the driver installs `ring` there unless the application installed
//! one.
//!
//! **`connect_timeout=SECONDS`** bounds the TCP connect and, on Unix, every wait of the
//! handshake (greeting, TLS, authentication, the setup statements, the switch to the Unix
//! socket) as socket read/write timeouts, cleared once connected so they never limit a
//! statement; a server that accepts and never answers gives `Error::Timeout` after about
//! the timeout (each wait is bounded, so a server trickling bytes could take longer). On
//! other platforms only the TCP connect is bounded. No limit by default (as the mysql client
//! and SQLAlchemy).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use athanor_core::dialect::{Dialect, MySql, mysql::map_error};
mod values;

use athanor_core::error::DatabaseError;
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Params, SslOpts};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};
use values::{read, to_param};

pub(crate) struct MySqlDriver {
    opts: Opts,
    /// `ssl-mode=PREFERRED`: the same options without TLS, for a server that has none.
    plain: Option<Opts>,
    /// `connect_timeout`, for the handshake's socket timeouts (cleared once connected).
    timeout: Option<Duration>,
    /// `ssl-ca` as given, for messages.
    ssl_ca: Option<String>,
    /// `host:port`, for messages.
    target: String,
}

/// The mysql client's `--ssl-mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SslMode {
    Disabled,
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

impl SslMode {
    fn parse(key: &str, v: &str) -> Result<Self> {
        Ok(match v.to_ascii_uppercase().as_str() {
            "DISABLED" => SslMode::Disabled,
            "PREFERRED" => SslMode::Preferred,
            "REQUIRED" => SslMode::Required,
            "VERIFY_CA" => SslMode::VerifyCa,
            "VERIFY_IDENTITY" => SslMode::VerifyIdentity,
            _ => {
                return Err(Error::argument(format!(
                    "{key}={v} in the URL: write DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY"
                )));
            }
        })
    }
}

/// Checks up front that `ssl-ca=PATH` is a PEM file with a certificate (the `mysql` crate
/// reads it on every connect, and would report a missing file as a lost connection).
fn check_ca(key: &str, path: &str) -> Result<()> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let bad = |why: String| Error::argument(format!("{key}={path}: {why}"));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(format!("can't read the CA file: {e}")))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("not a PEM file of certificates: {e}")))?;
    if certs.is_empty() {
        return Err(bad(
            "no certificate (-----BEGIN CERTIFICATE-----) in the file".into(),
        ));
    }
    Ok(())
}

impl MySqlDriver {
    pub(crate) fn new(url: &Url) -> Result<Self> {
        if let Some(d) = url
            .driver()
            .filter(|d| !matches!(*d, "mysql" | "pymysql" | "mysqldb" | "mariadbconnector"))
        {
            return Err(Error::argument(format!(
                "unknown MySQL driver '{d}' in '{url}': Athanor's MySQL driver is the mysql crate (write mysql:// or mariadb://)"
            )));
        }
        let host = url.host.clone().unwrap_or_else(|| "localhost".into());
        let port = url.port.unwrap_or(3306);
        let mut b = OptsBuilder::new()
            .ip_or_hostname(Some(host.clone()))
            .tcp_port(port)
            .user(url.username.clone())
            .pass(url.password.clone())
            .db_name(url.database.clone())
            .stmt_cache_size(Some(256))
            // rowcount is the rows an UPDATE matched, not only those it changed (as SQLAlchemy).
            .additional_capabilities(mysql::consts::CapabilityFlags::CLIENT_FOUND_ROWS)
            // An explicit 0 in an AUTO_INCREMENT column stays 0, as on every other database.
            .init(vec![
                "SET NAMES utf8mb4",
                "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES')",
            ]);
        let (mut prefer_socket, mut mode, mut ssl_ca, mut timeout) = (None, None, None, None);
        for (k, v) in &url.query {
            match k.as_str() {
                "prefer_socket" => {
                    // On 127.0.0.1/localhost the driver reconnects through the server's Unix
                    // socket (falling back to TCP), as the mysql crate does by default; false
                    // keeps TCP.
                    prefer_socket = Some(match v.as_str() {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        other => {
                            return Err(Error::argument(format!(
                                "prefer_socket={other} in the URL: write true or false"
                            )));
                        }
                    });
                }
                "connect_timeout" => {
                    // 0 would time out at once ("Could not connect: connection timeout").
                    let secs: u64 = v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                        Error::argument(format!(
                            "connect_timeout={v} in the URL is not a whole number of seconds from 1"
                        ))
                    })?;
                    timeout = Some(Duration::from_secs(secs));
                }
                "ssl-mode" | "ssl_mode" => mode = Some(SslMode::parse(k, v)?),
                "ssl-ca" | "ssl_ca" => {
                    check_ca(k, v)?;
                    ssl_ca = Some(v.clone());
                }
                _ => {}
            }
        }
        // As the mysql client: a CA without a mode asks for the CA to be checked.
        let mode = mode.unwrap_or(if ssl_ca.is_some() {
            SslMode::VerifyCa
        } else {
            SslMode::Disabled
        });
        if mode != SslMode::Disabled {
            if prefer_socket == Some(true) && mode != SslMode::Preferred {
                return Err(Error::argument(
                    "prefer_socket=true with an ssl-mode that requires TLS: a Unix socket connection is not encrypted (the server counts it as secure); drop one of them",
                ));
            }
            // TLS runs over TCP: don't trade it for the Unix socket unless asked to.
            prefer_socket.get_or_insert(false);
            let ssl = SslOpts::default()
                .with_root_cert_path(ssl_ca.clone().map(PathBuf::from))
                .with_danger_accept_invalid_certs(matches!(
                    mode,
                    SslMode::Preferred | SslMode::Required
                ))
                .with_danger_skip_domain_validation(mode == SslMode::VerifyCa);
            b = b.ssl_opts(Some(ssl));
        }
        if let Some(prefer) = prefer_socket {
            b = b.prefer_socket(prefer);
        }
        if let Some(t) = timeout {
            b = b.tcp_connect_timeout(Some(t));
            // Every wait of the handshake (greeting, TLS, authentication, the setup statements)
            // is bounded too; `connect` clears these once connected (see `handshake_done`).
            if cfg!(unix) {
                b = b.read_timeout(Some(t)).write_timeout(Some(t));
            }
        }
        let plain = (mode == SslMode::Preferred).then(|| Opts::from(b.clone().ssl_opts(None)));
        Ok(MySqlDriver {
            opts: Opts::from(b),
            plain,
            timeout,
            ssl_ca,
            target: format!("{host}:{port}"),
        })
    }

    /// Maps a failed connect: the handshake deadline and TLS first, then [`to_error`].
    fn connect_error(&self, e: mysql::Error) -> Error {
        use mysql::mysql_common::proto::codec::error::PacketCodecError;
        let secs = self.timeout.map_or(0, |t| t.as_secs());
        let target = &self.target;
        let io = match &e {
            mysql::Error::IoError(io) | mysql::Error::CodecError(PacketCodecError::Io(io)) => {
                Some(io)
            }
            _ => None,
        };
        if let Some(io) = io {
            // A socket timeout during the handshake is connect_timeout's (see `new`).
            if self.timeout.is_some()
                && matches!(
                    io.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                )
            {
                return Error::Timeout(DatabaseError::new(format!(
                    "could not connect to {target} within connect_timeout={secs}s: the server accepted the TCP connection but did not complete the MySQL handshake in time"
                )));
            }
            match tls_reason(io) {
                Some(err @ rustls::Error::InvalidCertificate(c)) => {
                    let hint = match c {
                        rustls::CertificateError::NotValidForName
                        | rustls::CertificateError::NotValidForNameContext { .. } => {
                            "the certificate does not name the host in the URL: connect with a name it lists, or use ssl-mode=VERIFY_CA to check the CA only".to_string()
                        }
                        _ => match &self.ssl_ca {
                            Some(path) => format!(
                                "check ssl-ca= (now {path}): it must hold the CA that signed the server's certificate"
                            ),
                            None => "check ssl-ca=: it must hold the CA that signed the server's certificate".to_string(),
                        },
                    };
                    return Error::Operational(DatabaseError::new(format!(
                        "TLS verification of the server's certificate failed connecting to {target}: {err}; {hint}"
                    )));
                }
                Some(other) => {
                    return Error::Operational(DatabaseError::new(format!(
                        "TLS handshake with {target} failed: {other}"
                    )));
                }
                None => {}
            }
        }
        match e {
            mysql::Error::DriverError(mysql::DriverError::ConnectTimeout) => {
                Error::Timeout(DatabaseError::new(format!(
                    "could not connect to {target} within connect_timeout={secs}s: the TCP connection was not established in time"
                )))
            }
            mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => {
                Error::Operational(DatabaseError::new(format!(
                    "the server at {target} does not accept TLS connections, and the ssl-mode requires TLS: enable TLS on the server (ssl_cert, ssl_key), or use ssl-mode=PREFERRED or DISABLED on a trusted network"
                )))
            }
            other => to_error(other),
        }
    }
}

/// The rustls error inside an I/O error (rustls reports a refused certificate that way).
fn tls_reason(io: &std::io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}

/// After the handshake: clears the socket timeouts `connect_timeout` set for it, so they
/// don't limit statements (a long query is not a slow handshake).
#[cfg(unix)]
fn handshake_done(conn: &Conn) -> Result<()> {
    use std::os::fd::{AsRawFd, BorrowedFd};
    // SAFETY: the descriptor is the connection's open socket, and `conn` is borrowed for the
    // whole life of `fd`, so it stays open; the socket is only configured, never closed.
    let fd = unsafe { BorrowedFd::borrow_raw(conn.as_raw_fd()) };
    let socket = socket2::SockRef::from(&fd);
    socket
        .set_read_timeout(None)
        .and_then(|()| socket.set_write_timeout(None))
        .map_err(|e| {
            Error::Operational(DatabaseError::new(format!(
                "clearing the connect_timeout from the connection's socket: {e}"
            )))
        })
}

#[cfg(not(unix))]
fn handshake_done(_conn: &Conn) -> Result<()> {
    Ok(())
}

impl Driver for MySqlDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(MySql::default())
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        if self.opts.get_ssl_opts().is_some() {
            use_ring_provider();
        }
        let conn = match (Conn::new(self.opts.clone()), &self.plain) {
            (Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported)), Some(plain)) => {
                Conn::new(plain.clone())
            }
            (r, _) => r,
        }
        .map_err(|e| self.connect_error(e))?;
        if self.timeout.is_some() {
            handshake_done(&conn)?;
        }
        Ok(Box::new(MyConnection {
            conn,
            mariadb: None,
        }))
    }
}

/// The `mysql` crate builds its TLS configuration on rustls's process-wide provider, which
/// rustls can only pick alone when one provider is compiled in: install `ring` (the one this
/// crate enables) unless the application installed one, so a second provider elsewhere in the
/// application's dependencies doesn't make the crate panic.
fn use_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one first: that one is used, as wanted.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

struct MyConnection {
    conn: Conn,
    /// Is the server MariaDB (not MySQL)? Asked when first needed.
    mariadb: Option<bool>,
}

/// Maps a `mysql` crate error: server errors by error number, the rest by what failed. A
/// socket that broke (an IO error, also inside the packet codec: broken pipe, reset, EOF) or a
/// packet stream out of step is [`Error::Disconnect`]: the connection can't be used again.
/// The `mysql::Error` is kept as the error's source.
pub(crate) fn to_error(e: mysql::Error) -> Error {
    use mysql::DriverError as D;
    use mysql::mysql_common::proto::codec::error::PacketCodecError as Codec;
    // The inner error's words, without the crate's `IoError { .. }` wrapping.
    let msg = || {
        DatabaseError::new(match &e {
            mysql::Error::IoError(io) => io.to_string(),
            mysql::Error::CodecError(c) => c.to_string(),
            mysql::Error::DriverError(d) => d.to_string(),
            other => other.to_string(),
        })
    };
    let err = match &e {
        mysql::Error::MySqlError(se) => map_error(se.code, &se.message, Some(&se.state)),
        mysql::Error::IoError(_)
        | mysql::Error::CodecError(Codec::Io(_) | Codec::PacketsOutOfSync)
        | mysql::Error::CodecError(Codec::BadCompressedPacketHeader)
        | mysql::Error::DriverError(D::PacketOutOfSync | D::UnexpectedPacket) => {
            Error::Disconnect(msg())
        }
        mysql::Error::DriverError(D::MismatchedStmtParams(..)) => Error::Programming(msg()),
        mysql::Error::UrlError(u) => Error::Argument(u.to_string()),
        _ => Error::Operational(msg()),
    };
    err.with_source(e)
}

impl MyConnection {
    /// Is the server MariaDB? (`SELECT VERSION()` the first time.)
    fn is_mariadb(&mut self) -> Result<bool> {
        if let Some(m) = self.mariadb {
            return Ok(m);
        }
        let version: Option<String> = self
            .conn
            .query_first("SELECT VERSION()")
            .map_err(to_error)?;
        let m = version.is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"));
        self.mariadb = Some(m);
        Ok(m)
    }

    fn params<'v>(values: impl ExactSizeIterator<Item = &'v Value>) -> Result<Params> {
        Ok(if values.len() == 0 {
            Params::Empty
        } else {
            Params::Positional(values.map(to_param).collect::<Result<_>>()?)
        })
    }
}

impl DriverConnection for MyConnection {
    fn ping(&mut self) -> Result<()> {
        // COM_PING: no statement, one packet each way.
        self.conn.ping().map_err(to_error)
    }

    fn execute(&mut self, sql: &str, values: &[&Value]) -> Result<ExecOutcome> {
        let stmt = self.conn.prep(sql).map_err(to_error)?;
        self.conn
            .exec_drop(&stmt, Self::params(values.iter().copied())?)
            .map_err(to_error)?;
        Ok(ExecOutcome {
            rowcount: self.conn.affected_rows(),
            last_insert_id: i64::try_from(self.conn.last_insert_id()).ok(),
        })
    }

    fn query(
        &mut self,
        sql: &str,
        values: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let stmt = self.conn.prep(sql).map_err(to_error)?;
        let mut result = self
            .conn
            .exec_iter(&stmt, Self::params(values.iter().copied())?)
            .map_err(to_error)?;
        // A statement without rows (a text() UPDATE) has its OK packet read already.
        let first_affected = result.affected_rows();
        let first_insert_id = result.last_insert_id();
        let mut count = 0usize;
        let mut reported = false;
        if let Some(set) = result.iter() {
            let width = {
                let cols = set.columns();
                let cols = cols.as_ref();
                if known_columns != Some(cols.len()) {
                    sink.columns(cols.iter().map(|c| c.name_str().into_owned()).collect())?;
                }
                cols.len()
            };
            reported = true;
            let mut buf = row_buffer(width);
            let mut stopped = false;
            let mut columns: Option<Arc<[mysql::Column]>> = None;
            for row in set {
                let row = row.map_err(to_error)?;
                if stopped {
                    continue; // drain so the connection stays usable
                }
                count += 1;
                let columns = columns.get_or_insert_with(|| row.columns());
                for ((slot, v), c) in buf.iter_mut().zip(row.unwrap_raw()).zip(columns.iter()) {
                    super::put_cell(slot, v.map_or(Value::Null, |v| read(v, c)));
                }
                if !sink.row(&mut buf)? {
                    stopped = true;
                }
            }
        }
        if !reported && known_columns != Some(0) {
            sink.columns(Vec::new())?;
        }
        let affected = result.affected_rows().max(first_affected);
        let last = result.last_insert_id().or(first_insert_id);
        drop(result);
        Ok(QueryDone {
            outcome: ExecOutcome {
                rowcount: if affected > 0 { affected } else { count as u64 },
                last_insert_id: last.and_then(|l| i64::try_from(l).ok()),
            },
            rows: count,
        })
    }

    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
        mut each: Option<&mut dyn FnMut(ExecOutcome) -> Result<()>>,
    ) -> Result<u64> {
        let stmt = self.conn.prep(sql).map_err(to_error)?;
        let mut values = row_buffer(width);
        let mut total = 0;
        while next(&mut values)? {
            self.conn
                .exec_drop(&stmt, Self::params(values.iter())?)
                .map_err(to_error)?;
            let changed = self.conn.affected_rows();
            total += changed;
            if let Some(each) = each.as_mut() {
                each(ExecOutcome {
                    rowcount: changed,
                    last_insert_id: i64::try_from(self.conn.last_insert_id()).ok(),
                })?;
            }
        }
        Ok(total)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.conn.query_drop(sql).map_err(to_error)
    }

    fn script(&mut self, sql: &str) -> Result<u64> {
        let mut result = self.conn.query_iter(sql).map_err(to_error)?;
        let mut changed = 0;
        while let Some(mut set) = result.iter() {
            // A set without rows (DML, DDL) carries its OK packet from the start.
            changed += set.affected_rows();
            for row in set.by_ref() {
                row.map_err(to_error)?;
            }
        }
        Ok(changed)
    }

    /// MariaDB: `max_statement_time`, in seconds (microsecond precision), for every
    /// statement. MySQL: `max_execution_time`, in milliseconds, which limits only read-only
    /// `SELECT`s (not writes, DDL or `SELECT ... FOR UPDATE`). `None` goes back to the
    /// server's value (`DEFAULT`, the global one).
    fn set_statement_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<()> {
        let ms = match timeout {
            Some(t) => Some(
                crate::engine::timeouts::millis(t, false)
                    .map_err(|why| Error::argument(format!("statement timeout: {why}")))?,
            ),
            None => None,
        };
        let sql = match (self.is_mariadb()?, ms) {
            (true, Some(ms)) => format!(
                "SET SESSION max_statement_time = {}.{:03}",
                ms / 1000,
                ms % 1000
            ),
            (true, None) => "SET SESSION max_statement_time = DEFAULT".to_string(),
            (false, Some(ms)) => format!("SET SESSION max_execution_time = {ms}"),
            (false, None) => "SET SESSION max_execution_time = DEFAULT".to_string(),
        };
        self.batch(&sql).map_err(|e| e.with_statement(&sql, None))
    }

    fn server_dialect(&mut self) -> Option<Arc<dyn Dialect>> {
        let (version, sql_mode): (String, String) = self
            .conn
            .query_first("SELECT VERSION(), @@SESSION.sql_mode")
            .ok()
            .flatten()?;
        self.mariadb = Some(version.to_ascii_lowercase().contains("mariadb"));
        Some(Arc::new(MySql {
            returning: mariadb_at_least(&version, (10, 5)),
            sequences: mariadb_at_least(&version, (10, 3)),
            // DDL literals double `\` only where the server reads it as an escape.
            no_backslash_escapes: sql_mode.contains("NO_BACKSLASH_ESCAPES"),
        }))
    }
}

/// The server is MariaDB of this version or later; `version` is `SELECT VERSION()`
/// (`10.11.6-MariaDB-0+deb12u1`). MariaDB ≥ 10.5 has INSERT/DELETE ... RETURNING, ≥ 10.3
/// sequences; MySQL has neither.
fn mariadb_at_least(version: &str, least: (u32, u32)) -> bool {
    if !version.to_ascii_lowercase().contains("mariadb") {
        return false;
    }
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse::<u32>().ok());
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= least
}

#[cfg(test)]
mod tests {
    use super::MySqlDriver;
    use crate::{Error, Url};

    fn refused(url: &str) -> String {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{e}"));
        match MySqlDriver::new(&url) {
            Err(Error::Argument(m)) => m,
            Err(other) => panic!("expected Error::Argument, got {other:?}"),
            Ok(_) => panic!("expected Error::Argument for {url}"),
        }
    }

    #[test]
    fn tls_options_are_checked_when_the_engine_is_made() {
        assert_eq!(
            refused("mysql://h/db?ssl-mode=ON"),
            "ssl-mode=ON in the URL: write DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY"
        );
        let missing = refused("mysql://h/db?ssl_ca=/nonexistent/ca.pem");
        assert!(
            missing.starts_with("ssl_ca=/nonexistent/ca.pem: can't read the CA file"),
            "{missing}"
        );
        assert!(
            refused("mysql://h/db?prefer_socket=true&ssl-mode=REQUIRED")
                .starts_with("prefer_socket=true with an ssl-mode that requires TLS")
        );
        for ok in [
            "mysql://h/db?ssl_mode=verify_identity",
            "mysql://h/db?ssl-mode=Preferred&prefer_socket=true",
            "mysql://h/db?ssl-mode=DISABLED&prefer_socket=true",
        ] {
            let url = Url::parse(ok).unwrap_or_else(|e| panic!("{e}"));
            assert!(MySqlDriver::new(&url).is_ok(), "{ok}");
        }
    }

    #[test]
    fn detects_mariadb_returning() {
        assert!(super::mariadb_at_least(
            "10.11.6-MariaDB-0+deb12u1",
            (10, 5)
        ));
        assert!(super::mariadb_at_least("11.4.2-MariaDB", (10, 5)));
        assert!(!super::mariadb_at_least("10.4.32-MariaDB", (10, 5)));
        assert!(!super::mariadb_at_least("8.0.36", (10, 5)));
    }

    #[test]
    fn a_broken_socket_is_a_disconnect() {
        use crate::Error;
        use mysql::mysql_common::proto::codec::error::PacketCodecError as Codec;
        use std::io::{Error as Io, ErrorKind};
        let gone = [
            mysql::Error::IoError(Io::new(ErrorKind::BrokenPipe, "Broken pipe")),
            mysql::Error::IoError(Io::new(ErrorKind::UnexpectedEof, "EOF")),
            mysql::Error::CodecError(Codec::Io(Io::new(ErrorKind::ConnectionReset, "reset"))),
            mysql::Error::CodecError(Codec::PacketsOutOfSync),
            mysql::Error::DriverError(mysql::DriverError::PacketOutOfSync),
            mysql::Error::DriverError(mysql::DriverError::UnexpectedPacket),
        ];
        for e in gone {
            let shown = e.to_string();
            assert!(
                matches!(super::to_error(e), Error::Disconnect(_)),
                "{shown}"
            );
        }
        let e = super::to_error(mysql::Error::CodecError(Codec::Io(Io::new(
            ErrorKind::BrokenPipe,
            "Broken pipe",
        ))));
        assert_eq!(
            e.to_string(),
            "(DisconnectionError) IO error: `Broken pipe'"
        );
        let refused = mysql::Error::DriverError(mysql::DriverError::CouldNotConnect(None));
        assert!(matches!(super::to_error(refused), Error::Operational(_)));
        let params = mysql::Error::DriverError(mysql::DriverError::MismatchedStmtParams(2, 1));
        assert!(matches!(super::to_error(params), Error::Programming(_)));
    }
}

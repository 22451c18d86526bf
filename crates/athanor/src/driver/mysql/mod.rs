//! The MySQL / MariaDB driver (the `mysql` crate, pure-Rust build, no TLS).
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

use std::sync::Arc;

use athanor_core::dialect::{Dialect, MySql, mysql::map_error};
mod values;

use athanor_core::error::DatabaseError;
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Params};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};
use values::{read, to_param};

pub(crate) struct MySqlDriver {
    opts: Opts,
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
        let mut b = OptsBuilder::new()
            .ip_or_hostname(Some(url.host.clone().unwrap_or_else(|| "localhost".into())))
            .tcp_port(url.port.unwrap_or(3306))
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
        for (k, v) in &url.query {
            if k == "prefer_socket" {
                // On 127.0.0.1/localhost the driver reconnects through the server's Unix socket
                // (falling back to TCP), as the mysql crate does by default; false keeps TCP.
                let prefer = match v.as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    other => {
                        return Err(Error::argument(format!(
                            "prefer_socket={other} in the URL: write true or false"
                        )));
                    }
                };
                b = b.prefer_socket(prefer);
            }
            if k == "connect_timeout" {
                // 0 would time out at once ("Could not connect: connection timeout").
                let secs: u64 = v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                    Error::argument(format!(
                        "connect_timeout={v} in the URL is not a whole number of seconds from 1"
                    ))
                })?;
                b = b.tcp_connect_timeout(Some(std::time::Duration::from_secs(secs)));
            }
        }
        Ok(MySqlDriver {
            opts: Opts::from(b),
        })
    }
}

impl Driver for MySqlDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(MySql::default())
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        let conn = Conn::new(self.opts.clone()).map_err(to_error)?;
        Ok(Box::new(MyConnection { conn }))
    }
}

struct MyConnection {
    conn: Conn,
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

    fn server_dialect(&mut self) -> Option<Arc<dyn Dialect>> {
        let (version, sql_mode): (String, String) = self
            .conn
            .query_first("SELECT VERSION(), @@SESSION.sql_mode")
            .ok()
            .flatten()?;
        Some(Arc::new(MySql {
            returning: mariadb_has_returning(&version),
            // DDL literals double `\` only where the server reads it as an escape.
            no_backslash_escapes: sql_mode.contains("NO_BACKSLASH_ESCAPES"),
        }))
    }
}

/// MariaDB ≥ 10.5 has INSERT/DELETE ... RETURNING; `version` is `SELECT VERSION()`
/// (`10.11.6-MariaDB-0+deb12u1`). MySQL has none.
fn mariadb_has_returning(version: &str) -> bool {
    if !version.to_ascii_lowercase().contains("mariadb") {
        return false;
    }
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse::<u32>().ok());
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (10, 5)
}

#[cfg(test)]
mod tests {
    #[test]
    fn detects_mariadb_returning() {
        assert!(super::mariadb_has_returning("10.11.6-MariaDB-0+deb12u1"));
        assert!(super::mariadb_has_returning("11.4.2-MariaDB"));
        assert!(!super::mariadb_has_returning("10.4.32-MariaDB"));
        assert!(!super::mariadb_has_returning("8.0.36"));
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

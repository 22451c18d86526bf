//! The engine's URL query options (`?echo=true&pool_size=10&pool_timeout=2.5`): each value
//! is checked here and refused with [`Error::Argument`] when it is not one the engine can use,
//! never clamped, guessed at or ignored.
//!
//! | option | values |
//! |---|---|
//! | `echo` | `true`, `false`, `1`, `0`, `yes`, `no` (any case) |
//! | `hide_parameters` | as `echo` |
//! | `pool_size` | a whole number from 1 |
//! | `pool_timeout` | seconds, from 0 up to about 584 billion years (`2.5`, `30`); not `inf`, not `NaN` |
//! | `max_overflow` | a whole number from 0 |
//! | `pool_recycle` | seconds, as `pool_timeout` |
//! | `pool_pre_ping`, `pool_use_lifo` | as `echo` |
//! | `pool_reset_on_return` | `rollback`, `commit`, `none` |
//! | `statement_timeout` | seconds, whole milliseconds from 0.001 to 2147483.647 (`2.5`) |
//!
//! Options the driver reads are checked by the driver (an unusable value is an
//! [`Error::Argument`] from `create_engine` too):
//!
//! | option | driver | values |
//! |---|---|---|
//! | `connect_timeout` | PostgreSQL, MySQL | whole seconds for the whole handshake (TCP connect, TLS, authentication); past it, `connect()` is an `Error::Timeout`. PostgreSQL: `0` is no limit (libpq); MySQL: from 1. No limit by default |
//! | `application_name`, `options` | PostgreSQL | as libpq |
//! | `sslmode` | PostgreSQL | `disable` (the default), `allow`, `prefer`, `require`, `verify-ca`, `verify-full`, as libpq |
//! | `sslrootcert` | PostgreSQL | a PEM file of CA certificates, or `system` (the Mozilla roots built in) |
//! | `ssl-mode` (or `ssl_mode`) | MySQL | `DISABLED` (the default), `PREFERRED`, `REQUIRED`, `VERIFY_CA`, `VERIFY_IDENTITY`, any case, as the mysql client |
//! | `ssl-ca` (or `ssl_ca`) | MySQL | a PEM file of CA certificates |
//! | `prefer_socket` | MySQL | `true` (the default without TLS), `false` |
//! | `timeout` | SQLite | the busy timeout in seconds, as pysqlite's connect argument: whole milliseconds from 0 (fail at once on a lock) to 2147483.647; 5 by default |
//!
//! Any other key is an error, as an unknown connect argument is in SQLAlchemy: a misspelt
//! option (`pool_timout`) would otherwise do nothing without a word.

use std::time::Duration;

use crate::{Error, Result, Url};

/// The keys [`apply`] reads.
const ENGINE_KEYS: &[&str] = &[
    "echo",
    "hide_parameters",
    "isolation_level",
    "max_overflow",
    "pool_pre_ping",
    "pool_recycle",
    "pool_reset_on_return",
    "pool_size",
    "pool_timeout",
    "pool_use_lifo",
    "statement_timeout",
];

/// The keys each driver reads, by the URL's dialect.
fn driver_keys(dialect: &str) -> &'static [&'static str] {
    match dialect {
        "postgresql" | "postgres" => &[
            "application_name",
            "connect_timeout",
            "options",
            "sslmode",
            "sslrootcert",
        ],
        "mysql" | "mariadb" => &[
            "connect_timeout",
            "prefer_socket",
            "ssl-ca",
            "ssl-mode",
            "ssl_ca",
            "ssl_mode",
        ],
        "sqlite" => &["timeout"],
        _ => &[],
    }
}

/// A boolean option: `true`/`false`, `1`/`0`, `yes`/`no`, in any case.
pub(crate) fn boolean(key: &str, v: &str) -> Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::argument(format!(
            "{key}={v} in the URL: write true or false"
        ))),
    }
}

/// A pool size: a whole number of connections, at least 1.
pub(crate) fn pool_size(v: &str) -> Result<usize> {
    match v.parse::<usize>() {
        Ok(0) => Err(Error::argument(
            "pool_size=0 in the URL: a pool holds at least 1 connection",
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(Error::argument(format!(
            "pool_size={v} in the URL is not a whole number of connections (1 or more)"
        ))),
    }
}

/// A count of connections, 0 or more (`max_overflow=0`).
pub(crate) fn count(key: &str, v: &str) -> Result<usize> {
    v.parse::<usize>().map_err(|_| {
        Error::argument(format!(
            "{key}={v} in the URL is not a whole number (0 or more)"
        ))
    })
}

/// What a timeout must be, for the messages.
fn timeout_range() -> String {
    format!(
        "seconds is not a timeout: give a finite number of seconds from 0 to {}",
        u64::MAX
    )
}

/// A number of seconds as a [`Duration`], or why it can't be one: negative, NaN, infinite,
/// or too large for a `Duration`.
pub(crate) fn seconds(secs: f64) -> std::result::Result<Duration, String> {
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{secs:?} {}", timeout_range()))
}

/// A timeout option given in seconds (`pool_timeout=2.5`).
pub(crate) fn timeout(key: &str, v: &str) -> Result<Duration> {
    let secs: f64 = v
        .trim()
        .parse()
        .map_err(|_| Error::argument(format!("{key}={v} in the URL is not a number of seconds")))?;
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::argument(format!("{key}={v} in the URL: {v} {}", timeout_range())))
}

/// Refuses a key that neither the engine nor the URL's driver reads.
pub(crate) fn check_known(url: &Url) -> Result<()> {
    let driver = driver_keys(url.dialect());
    for (k, _) in &url.query {
        if !ENGINE_KEYS.contains(&k.as_str()) && !driver.contains(&k.as_str()) {
            let mut known: Vec<&str> = ENGINE_KEYS.iter().chain(driver).copied().collect();
            known.sort_unstable();
            return Err(Error::argument(format!(
                "unknown option '{k}' in the database URL '{url}': {} reads {}",
                url.dialect(),
                known.join(", ")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::Argument(m)) => m,
            other => panic!("expected Error::Argument, got {other:?}"),
        }
    }

    #[test]
    fn timeouts_are_finite_non_negative_seconds() {
        assert_eq!(timeout("t", "2.5").unwrap(), Duration::from_millis(2500));
        assert_eq!(timeout("t", "0").unwrap(), Duration::ZERO);
        assert_eq!(
            message(timeout("pool_timeout", "inf")),
            "pool_timeout=inf in the URL: inf seconds is not a timeout: give a finite number \
             of seconds from 0 to 18446744073709551615"
        );
        for bad in ["-1", "NaN", "1e300", "-inf", "infinity"] {
            assert!(
                message(timeout("pool_timeout", bad)).contains("not a timeout"),
                "{bad}"
            );
        }
        assert_eq!(
            message(timeout("pool_timeout", "soon")),
            "pool_timeout=soon in the URL is not a number of seconds"
        );
    }

    #[test]
    fn booleans_and_sizes() {
        assert!(boolean("echo", "True").unwrap());
        assert!(!boolean("echo", "no").unwrap());
        assert_eq!(
            message(boolean("echo", "ture")),
            "echo=ture in the URL: write true or false"
        );
        assert_eq!(pool_size("10").unwrap(), 10);
        assert_eq!(
            message(pool_size("0")),
            "pool_size=0 in the URL: a pool holds at least 1 connection"
        );
        assert!(message(pool_size("-1")).contains("not a whole number"));
    }

    #[test]
    fn unknown_keys_are_named_with_the_known_ones() {
        let url = Url::parse("sqlite://?pool_timout=5").unwrap();
        assert_eq!(
            message(check_known(&url)),
            "unknown option 'pool_timout' in the database URL 'sqlite://?pool_timout=5': \
             sqlite reads echo, hide_parameters, isolation_level, max_overflow, pool_pre_ping, \
             pool_recycle, pool_reset_on_return, pool_size, pool_timeout, pool_use_lifo, \
             statement_timeout, timeout"
        );
        let url = Url::parse("mysql://h/db?prefer_socket=false&pool_size=2").unwrap();
        assert!(check_known(&url).is_ok());
        let url = Url::parse("postgresql://h/db?prefer_socket=false").unwrap();
        assert!(message(check_known(&url)).contains("'prefer_socket'"));
        // TLS: each database's own spelling, and not the other's.
        let url = Url::parse("postgresql://h/db?sslmode=verify-full&sslrootcert=system").unwrap();
        assert!(check_known(&url).is_ok());
        let url = Url::parse("mysql://h/db?ssl-mode=REQUIRED&ssl-ca=/ca.pem&ssl_mode=x&ssl_ca=y");
        assert!(check_known(&url.unwrap()).is_ok());
        let url = Url::parse("mysql://h/db?sslmode=require").unwrap();
        assert!(message(check_known(&url)).contains("'sslmode'"));
        let url = Url::parse("postgresql://h/db?ssl-ca=/ca.pem").unwrap();
        assert!(message(check_known(&url)).contains("'ssl-ca'"));
    }
}

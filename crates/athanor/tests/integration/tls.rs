//! TLS (rustls) on PostgreSQL and MariaDB, and `connect_timeout` over the whole handshake.
//!
//! The TLS tests need the servers to have TLS on with a certificate signed by a test CA:
//! `.ci/servers` makes one (DNS `localhost`, IP `127.0.0.1`) and an unrelated "wrong" CA in
//! the directory `ATHANOR_TEST_TLS_DIR` names (`ca.pem`, `wrong-ca.pem`). When that variable
//! is unset they print why and skip; when it is set, a missing server URL or server is a
//! failure. Each run appends `tls-postgresql <test>` / `tls-mysql <test>` to
//! `ATHANOR_SERVER_TEST_LOG`, which `.ci/run` counts.
//!
//! The timeout tests need no server: a local listener accepts the TCP connection and never
//! answers. One more sends a `mysql://` URL to PostgreSQL's port.

use std::io::Write as _;
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use athanor::prelude::*;
use athanor::{Engine, Error, Result, Url};

/// The test CA directory, or `None` with the reason printed.
fn tls_dir(test: &str) -> Option<PathBuf> {
    match std::env::var("ATHANOR_TEST_TLS_DIR") {
        Ok(dir) => Some(PathBuf::from(dir)),
        Err(_) => {
            eprintln!(
                "skipped {test}: ATHANOR_TEST_TLS_DIR is not set (.ci/servers makes the test CA and sets up the servers)"
            );
            None
        }
    }
}

/// `dir/name` as a string, checked to exist.
fn cert(dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "ATHANOR_TEST_TLS_DIR={} has no {name}: run .ci/servers",
        dir.display()
    );
    path.display().to_string()
}

fn log_run(what: &str, test: &str) {
    if let Ok(path) = std::env::var("ATHANOR_SERVER_TEST_LOG")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    {
        let _ = f.write_all(format!("{what} {test}\n").as_bytes());
    }
}

/// What a TLS test on one server needs.
struct Setup {
    /// The server URL from the environment (no query options).
    base: Url,
    ca: String,
    wrong_ca: String,
}

impl Setup {
    /// For `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL`: `None` (printed) without the TLS
    /// directory; a panic when the directory is set and the URL isn't.
    fn new(var: &str, log_as: &str, test: &str) -> Option<Setup> {
        let dir = tls_dir(test)?;
        let url = std::env::var(var).unwrap_or_else(|_| {
            panic!("ATHANOR_TEST_TLS_DIR is set but {var} is not: the TLS tests need the server")
        });
        let mut base = Url::parse(&url).unwrap_or_else(|e| panic!("{var}={url}: {e}"));
        base.query.clear();
        log_run(log_as, test);
        Some(Setup {
            base,
            ca: cert(&dir, "ca.pem"),
            wrong_ca: cert(&dir, "wrong-ca.pem"),
        })
    }

    /// The server URL with `host` and the query options.
    fn url(&self, host: &str, options: &[(&str, &str)]) -> String {
        let mut u = self.base.clone();
        u.host = Some(host.to_string());
        u.query = options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        u.render(false)
    }

    fn engine(&self, host: &str, options: &[(&str, &str)]) -> Engine {
        let url = self.url(host, options);
        create_engine(&url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }
}

/// A name other than `localhost` that resolves to 127.0.0.1 (the machine's host name, on
/// machines whose /etc/hosts says so), for the host-name mismatch tests; `None` (printed)
/// when there is none.
fn loopback_alias(test: &str) -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty() && n != "localhost")?;
    let is_loopback = (name.as_str(), 0)
        .to_socket_addrs()
        .map(|mut addrs| addrs.any(|a| a.ip() == std::net::Ipv4Addr::LOCALHOST))
        .unwrap_or(false);
    if !is_loopback {
        eprintln!(
            "{test}: the host-name mismatch case is skipped: the host name '{name}' does not resolve to 127.0.0.1"
        );
        return None;
    }
    Some(name)
}

#[track_caller]
fn operational(r: Result<Connection>) -> String {
    match r {
        Err(Error::Operational(e)) => e.message.clone(),
        Err(other) => panic!("expected Error::Operational, got {other:?}"),
        Ok(_) => panic!("expected Error::Operational, but it connected"),
    }
}

// ---------------------------------------------------------------------------- PostgreSQL

fn pg(test: &str) -> Option<Setup> {
    Setup::new("ATHANOR_TEST_POSTGRES", "tls-postgresql", test)
}

/// `pg_stat_ssl`'s view of the connection: encrypted or not.
fn pg_encrypted(engine: &Engine) -> Result<bool> {
    engine.connect()?.scalar(&text(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ))
}

#[test]
fn pg_sslmode_require_is_encrypted_and_runs_queries_and_transactions() -> Result<()> {
    let Some(s) = pg("pg_sslmode_require_is_encrypted_and_runs_queries_and_transactions") else {
        return Ok(());
    };
    let engine = s.engine("127.0.0.1", &[("sslmode", "require")]);
    assert!(pg_encrypted(&engine)?, "sslmode=require but not encrypted");
    let mut conn = engine.connect()?;
    conn.exec_driver_sql("CREATE TEMPORARY TABLE tls_t (x INTEGER)")?;
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO tls_t (x) VALUES (1), (2)"))?;
        tx.commit()?;
    }
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO tls_t (x) VALUES (3)"))?;
        drop(tx);
    }
    let sum: i64 = conn.scalar(&text("SELECT CAST(SUM(x) AS BIGINT) FROM tls_t"))?;
    assert_eq!(sum, 3, "the committed rows, not the rolled-back one");
    // prefer: the server has TLS, so it is used.
    let prefer = s.engine("127.0.0.1", &[("sslmode", "prefer")]);
    assert!(pg_encrypted(&prefer)?, "sslmode=prefer with a TLS server");
    Ok(())
}

#[test]
fn pg_sslmode_disable_and_no_sslmode_are_plain() -> Result<()> {
    let Some(s) = pg("pg_sslmode_disable_and_no_sslmode_are_plain") else {
        return Ok(());
    };
    assert!(!pg_encrypted(
        &s.engine("127.0.0.1", &[("sslmode", "disable")])
    )?);
    // The default without sslmode stays plain text (documented in the driver).
    assert!(!pg_encrypted(&s.engine("127.0.0.1", &[]))?);
    // allow: plain first, and the server takes it.
    assert!(!pg_encrypted(
        &s.engine("127.0.0.1", &[("sslmode", "allow")])
    )?);
    Ok(())
}

#[test]
fn pg_verify_ca_and_verify_full_with_the_right_ca_connect() -> Result<()> {
    let Some(s) = pg("pg_verify_ca_and_verify_full_with_the_right_ca_connect") else {
        return Ok(());
    };
    for (host, mode) in [
        ("127.0.0.1", "verify-ca"),
        ("localhost", "verify-ca"),
        // The certificate names DNS localhost and IP 127.0.0.1: both pass the name check.
        ("127.0.0.1", "verify-full"),
        ("localhost", "verify-full"),
        // require with a CA checks the chain, as libpq.
        ("127.0.0.1", "require"),
    ] {
        let engine = s.engine(host, &[("sslmode", mode), ("sslrootcert", &s.ca)]);
        assert!(pg_encrypted(&engine)?, "{host} sslmode={mode}");
    }
    Ok(())
}

#[test]
fn pg_a_wrong_ca_fails_with_a_clear_error() {
    let Some(s) = pg("pg_a_wrong_ca_fails_with_a_clear_error") else {
        return;
    };
    for mode in ["verify-ca", "verify-full", "require"] {
        let engine = s.engine(
            "127.0.0.1",
            &[("sslmode", mode), ("sslrootcert", &s.wrong_ca)],
        );
        assert_eq!(
            operational(engine.connect()),
            format!(
                "TLS verification of the server's certificate failed connecting to 127.0.0.1:5432: \
                 invalid peer certificate: UnknownIssuer; check sslrootcert= (now {}): it must hold \
                 the CA that signed the server's certificate",
                s.wrong_ca
            ),
            "sslmode={mode}"
        );
    }
    // Without a CA, require encrypts and checks nothing (libpq's require).
    let engine = s.engine("127.0.0.1", &[("sslmode", "require")]);
    assert!(engine.connect().is_ok());
}

#[test]
fn pg_verify_full_checks_the_host_name() -> Result<()> {
    let test = "pg_verify_full_checks_the_host_name";
    let Some(s) = pg(test) else {
        return Ok(());
    };
    let Some(alias) = loopback_alias(test) else {
        return Ok(());
    };
    let full = s.engine(
        &alias,
        &[("sslmode", "verify-full"), ("sslrootcert", &s.ca)],
    );
    assert_eq!(
        operational(full.connect()),
        format!(
            "TLS verification of the server's certificate failed connecting to {alias}:5432: \
             invalid peer certificate: certificate not valid for name \"{alias}\"; certificate \
             is only valid for \
             DnsName(\"localhost\") or IpAddress(127.0.0.1); the certificate does not name the \
             host in the URL: connect with a name it lists, or use sslmode=verify-ca to check \
             the CA only"
        )
    );
    // verify-ca checks the chain only.
    let ca = s.engine(&alias, &[("sslmode", "verify-ca"), ("sslrootcert", &s.ca)]);
    assert!(pg_encrypted(&ca)?);
    Ok(())
}

#[test]
fn pg_connect_timeout_does_not_limit_statements() -> Result<()> {
    let Some(s) = pg("pg_connect_timeout_does_not_limit_statements") else {
        return Ok(());
    };
    // The handshake deadline is disarmed once connected: a statement longer than
    // connect_timeout runs to the end.
    for mode in ["disable", "require"] {
        let engine = s.engine("127.0.0.1", &[("sslmode", mode), ("connect_timeout", "1")]);
        let mut conn = engine.connect()?;
        conn.exec_driver_sql("SELECT pg_sleep(1.5)")?;
        let one: i64 = conn.scalar(&text("SELECT CAST(1 AS BIGINT)"))?;
        assert_eq!(one, 1, "sslmode={mode}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------- MariaDB

fn my(test: &str) -> Option<Setup> {
    Setup::new("ATHANOR_TEST_MYSQL", "tls-mysql", test)
}

/// The session's TLS cipher (`""` when not encrypted).
fn my_cipher(engine: &Engine) -> Result<String> {
    let rows: Vec<(String, String)> = engine
        .connect()?
        .execute(&text("SHOW SESSION STATUS LIKE 'Ssl_cipher'"))?
        .tuples()?;
    Ok(rows.into_iter().next().map(|(_, v)| v).unwrap_or_default())
}

#[test]
fn my_required_is_encrypted_and_runs_queries_and_transactions() -> Result<()> {
    let Some(s) = my("my_required_is_encrypted_and_runs_queries_and_transactions") else {
        return Ok(());
    };
    for mode in ["REQUIRED", "required", "PREFERRED"] {
        let engine = s.engine("127.0.0.1", &[("ssl-mode", mode)]);
        assert_ne!(my_cipher(&engine)?, "", "ssl-mode={mode}");
    }
    // A query and a committed and a rolled-back transaction, over TLS.
    let engine = s.engine("127.0.0.1", &[("ssl_mode", "REQUIRED")]);
    let mut conn = engine.connect()?;
    conn.exec_driver_sql("CREATE TEMPORARY TABLE tls_t (x INTEGER)")?;
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO tls_t (x) VALUES (1), (2)"))?;
        tx.commit()?;
    }
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO tls_t (x) VALUES (3)"))?;
        drop(tx);
    }
    let sum: i64 = conn.scalar(&text("SELECT CAST(SUM(x) AS SIGNED) FROM tls_t"))?;
    assert_eq!(sum, 3, "the committed rows, not the rolled-back one");
    let cipher: Vec<(String, String)> = conn
        .execute(&text("SHOW SESSION STATUS LIKE 'Ssl_cipher'"))?
        .tuples()?;
    assert_ne!(cipher[0].1, "", "the transaction's connection is encrypted");
    Ok(())
}

#[test]
fn my_disabled_is_plain() -> Result<()> {
    let Some(s) = my("my_disabled_is_plain") else {
        return Ok(());
    };
    let engine = s.engine(
        "127.0.0.1",
        &[("ssl-mode", "DISABLED"), ("prefer_socket", "false")],
    );
    assert_eq!(my_cipher(&engine)?, "");
    Ok(())
}

#[test]
fn my_verify_ca_and_verify_identity_with_the_right_ca_connect() -> Result<()> {
    let Some(s) = my("my_verify_ca_and_verify_identity_with_the_right_ca_connect") else {
        return Ok(());
    };
    for (host, options) in [
        (
            "127.0.0.1",
            vec![("ssl-mode", "VERIFY_CA"), ("ssl-ca", s.ca.as_str())],
        ),
        (
            "127.0.0.1",
            vec![("ssl-mode", "VERIFY_IDENTITY"), ("ssl-ca", s.ca.as_str())],
        ),
        (
            "localhost",
            vec![("ssl_mode", "verify_identity"), ("ssl_ca", s.ca.as_str())],
        ),
        // A CA without a mode checks the CA, as the mysql client.
        ("127.0.0.1", vec![("ssl-ca", s.ca.as_str())]),
    ] {
        let engine = s.engine(host, &options);
        assert_ne!(my_cipher(&engine)?, "", "{host} {options:?}");
    }
    Ok(())
}

#[test]
fn my_a_wrong_ca_fails_with_a_clear_error() {
    let Some(s) = my("my_a_wrong_ca_fails_with_a_clear_error") else {
        return;
    };
    for options in [
        vec![("ssl-mode", "VERIFY_CA"), ("ssl-ca", s.wrong_ca.as_str())],
        vec![
            ("ssl-mode", "VERIFY_IDENTITY"),
            ("ssl-ca", s.wrong_ca.as_str()),
        ],
        vec![("ssl-ca", s.wrong_ca.as_str())],
    ] {
        let engine = s.engine("127.0.0.1", &options);
        assert_eq!(
            operational(engine.connect()),
            format!(
                "TLS verification of the server's certificate failed connecting to 127.0.0.1:3306: \
                 invalid peer certificate: UnknownIssuer; check ssl-ca= (now {}): it must hold \
                 the CA that signed the server's certificate",
                s.wrong_ca
            ),
            "{options:?}"
        );
    }
}

#[test]
fn my_verify_identity_checks_the_host_name() -> Result<()> {
    let test = "my_verify_identity_checks_the_host_name";
    let Some(s) = my(test) else {
        return Ok(());
    };
    let Some(alias) = loopback_alias(test) else {
        return Ok(());
    };
    let full = s.engine(
        &alias,
        &[("ssl-mode", "VERIFY_IDENTITY"), ("ssl-ca", &s.ca)],
    );
    assert_eq!(
        operational(full.connect()),
        format!(
            "TLS verification of the server's certificate failed connecting to {alias}:3306: \
             invalid peer certificate: certificate not valid for name \"{alias}\"; certificate \
             is only valid for \
             DnsName(\"localhost\") or IpAddress(127.0.0.1); the certificate does not name the \
             host in the URL: connect with a name it lists, or use ssl-mode=VERIFY_CA to check \
             the CA only"
        )
    );
    let ca = s.engine(&alias, &[("ssl-mode", "VERIFY_CA"), ("ssl-ca", &s.ca)]);
    assert_ne!(my_cipher(&ca)?, "");
    Ok(())
}

#[test]
fn my_connect_timeout_does_not_limit_statements() -> Result<()> {
    let Some(s) = my("my_connect_timeout_does_not_limit_statements") else {
        return Ok(());
    };
    // The socket timeouts that bound the handshake are cleared once connected. Over TLS
    // (TCP) and over the Unix socket the driver switches to on 127.0.0.1.
    for options in [
        vec![("ssl-mode", "REQUIRED"), ("connect_timeout", "1")],
        vec![("connect_timeout", "1")],
    ] {
        let engine = s.engine("127.0.0.1", &options);
        let mut conn = engine.connect()?;
        let slept: i64 = conn.scalar(&text("SELECT SLEEP(1.5)"))?;
        assert_eq!(slept, 0, "{options:?}: SLEEP was interrupted");
    }
    Ok(())
}

// ---------------------------------------------------------------------------- connect_timeout

/// A TCP listener on 127.0.0.1 that accepts connections and never writes a byte; it stops
/// (closing what it accepted) when dropped, or after a minute on its own.
struct SilentServer {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl SilentServer {
    fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("local_addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            let until = Instant::now() + Duration::from_secs(60);
            while !flag.load(Ordering::Relaxed) && Instant::now() < until {
                if let Ok((socket, _)) = listener.accept() {
                    held.push(socket);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        SilentServer { port, stop }
    }
}

/// A listener that answers PostgreSQL's `SSLRequest` with `N` (no TLS here), then says
/// nothing more.
struct NoTlsServer {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl NoTlsServer {
    fn start() -> NoTlsServer {
        use std::io::Read as _;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("local_addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            let until = Instant::now() + Duration::from_secs(60);
            while !flag.load(Ordering::Relaxed) && Instant::now() < until {
                if let Ok((mut socket, _)) = listener.accept() {
                    let _ = socket.set_nonblocking(false);
                    let _ = socket.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut request = [0u8; 8];
                    if socket.read_exact(&mut request).is_ok() {
                        let _ = socket.write_all(b"N");
                    }
                    held.push(socket);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        NoTlsServer { port, stop }
    }
}

impl Drop for NoTlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Connects with `url` and expects an `Error::Timeout` within 3x `limit` (and not before it
/// has nearly passed); returns the message.
#[track_caller]
fn times_out(url: &str, limit: Duration) -> String {
    let engine = create_engine(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    let started = Instant::now();
    let r = engine.connect();
    let took = started.elapsed();
    let message = match r {
        Err(Error::Timeout(e)) => e.message.clone(),
        Err(other) => panic!("{url}: expected Error::Timeout, got {other:?}"),
        Ok(_) => panic!("{url}: connected to a server that never answers"),
    };
    assert!(took < limit * 3, "{url}: the timeout came after {took:?}");
    assert!(
        took >= limit.mul_f64(0.9),
        "{url}: failed after {took:?}, before connect_timeout"
    );
    message
}

#[test]
fn pg_connect_timeout_covers_a_server_that_never_answers() {
    let server = SilentServer::start();
    let port = server.port;
    for options in ["", "&sslmode=require", "&sslmode=prefer"] {
        let url = format!("postgresql://u@127.0.0.1:{port}/db?connect_timeout=1{options}");
        assert_eq!(
            times_out(&url, Duration::from_secs(1)),
            format!(
                "could not connect to 127.0.0.1:{port} within connect_timeout=1s: the server \
                 accepted the TCP connection but did not complete the PostgreSQL handshake in time"
            ),
            "{url}"
        );
    }
}

#[test]
fn my_connect_timeout_covers_a_server_that_never_answers() {
    let server = SilentServer::start();
    let port = server.port;
    for options in ["", "&ssl-mode=REQUIRED"] {
        let url = format!("mysql://u@127.0.0.1:{port}/db?connect_timeout=1{options}");
        assert_eq!(
            times_out(&url, Duration::from_secs(1)),
            format!(
                "could not connect to 127.0.0.1:{port} within connect_timeout=1s: the server \
                 accepted the TCP connection but did not complete the MySQL handshake in time"
            ),
            "{url}"
        );
    }
}

/// A `mysql://` URL pointed at PostgreSQL: PostgreSQL waits for the client to speak first
/// (for `authentication_timeout`, 60 s by default), the MySQL client for the server's
/// greeting, so without a limit `connect()` waits that long; with one it times out.
#[test]
fn a_mysql_url_at_postgresqls_port_times_out() {
    let Ok(pg) = std::env::var("ATHANOR_TEST_POSTGRES") else {
        eprintln!(
            "skipped a_mysql_url_at_postgresqls_port_times_out: ATHANOR_TEST_POSTGRES is not set"
        );
        return;
    };
    let pg = Url::parse(&pg).unwrap_or_else(|e| panic!("{e}"));
    let host = pg.host.clone().unwrap_or_else(|| "localhost".into());
    let port = pg.port.unwrap_or(5432);
    log_run("postgresql", "a_mysql_url_at_postgresqls_port_times_out");
    let url = format!("mysql://root@{host}:{port}/test?connect_timeout=2");
    assert_eq!(
        times_out(&url, Duration::from_secs(2)),
        format!(
            "could not connect to {host}:{port} within connect_timeout=2s: the server accepted \
             the TCP connection but did not complete the MySQL handshake in time"
        )
    );
}

/// A server that answers the TLS request with `N`: `require` fails saying so; `prefer` goes
/// on in plain text (and then meets the silence, so the deadline ends it).
#[test]
fn pg_a_server_without_tls_fails_require_and_falls_back_under_prefer() {
    let server = NoTlsServer::start();
    let port = server.port;
    let url = format!("postgresql://u@127.0.0.1:{port}/db?sslmode=require&connect_timeout=5");
    let engine = create_engine(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(
        operational(engine.connect()),
        format!(
            "the server at 127.0.0.1:{port} does not accept TLS connections, and \
             sslmode=require requires TLS: enable ssl on the server, or use sslmode=prefer or \
             disable on a trusted network"
        )
    );
    let url = format!("postgresql://u@127.0.0.1:{port}/db?sslmode=prefer&connect_timeout=1");
    assert_eq!(
        times_out(&url, Duration::from_secs(1)),
        format!(
            "could not connect to 127.0.0.1:{port} within connect_timeout=1s: the server \
             accepted the TCP connection but did not complete the PostgreSQL handshake in time"
        )
    );
}

//! TLS (rustls) and the handshake deadline for the PostgreSQL driver.
//!
//! The URL options are libpq's:
//!
//! | `sslmode=` | TLS | the server's certificate |
//! |---|---|---|
//! | `disable` | never | — |
//! | `allow` | only if the server refuses a plain connection | chain checked if `sslrootcert=` is given |
//! | `prefer` | if the server accepts it, else plain | chain checked if `sslrootcert=` is given |
//! | `require` | always (fails if the server has no TLS) | chain checked if `sslrootcert=` is given (as libpq) |
//! | `verify-ca` | always | chain checked against `sslrootcert=` |
//! | `verify-full` | always | chain and host name (an IP host like `127.0.0.1` must be an IP SAN) |
//!
//! `sslrootcert=PATH` is a PEM file of CA certificates, read when the engine is created (a
//! missing or empty file is an `Error::Argument` then); `sslrootcert=system` trusts the
//! Mozilla roots compiled in (`webpki-roots`) and, as in libpq, asks for `verify-full`
//! (its default then; a weaker `sslmode` is refused). `verify-ca`/`verify-full` without
//! `sslrootcert=` is refused too (libpq would look for `~/.postgresql/root.crt`; Athanor reads
//! no file it wasn't given).
//!
//! **The default**: a URL without `sslmode` connects in plain text, as Athanor always has
//! (libpq's default is `prefer`, which costs a round trip to ask, and a TLS handshake on every
//! new connection to a server that has TLS); with `sslrootcert=` but no `sslmode`, `prefer`.
//! A Unix-socket host (`/run/postgresql`) never uses TLS, as in libpq.
//!
//! **How**: the `postgres` crate is told `sslnegotiation=direct` with `sslmode=require`, so it
//! hands the freshly connected socket to this module's connector before writing a byte. The
//! connector then does what libpq does itself: sends the `SSLRequest` (unless `disable`),
//! reads the server's `S` or `N`, runs the rustls handshake over the socket on `S`, and wraps
//! whatever stream results in [`Deadline`]. Everything after the TCP connect (the TLS request,
//! the TLS handshake, the startup message, authentication, the server's parameters) therefore
//! passes through one deadline, `connect_timeout` after `connect()` began; the `postgres`
//! crate's own `connect_timeout` covers the TCP connect within the same bound. When the
//! deadline passes, the read or write waiting on the socket fails, the crate's runtime returns,
//! the socket is closed and `connect()` returns [`Error::Timeout`]: no thread is left blocked.
//! Once connected the deadline is disarmed (statements have their own limits). Name
//! resolution (`getaddrinfo`) happens before the socket exists and is not covered.
//!
//! TLS uses rustls with the `ring` provider (no system OpenSSL, no cmake), TLS 1.2 and 1.3,
//! and comes with the `postgres` feature: the extra crates (rustls, tokio-rustls,
//! webpki-roots, ring) cost a few seconds of a clean build, not worth a feature of their own.
//! SCRAM channel binding (`tls-server-end-point`) is not offered: authentication works as over
//! a plain connection.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use athanor_core::error::DatabaseError;
use postgres::Socket;
use postgres::config::{SslMode as WireMode, SslNegotiation};
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::{Error, Result};

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(v: &str) -> Result<Self> {
        Ok(match v {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => {
                return Err(Error::argument(format!(
                    "sslmode={v} in the URL: write disable, allow, prefer, require, verify-ca or verify-full"
                )));
            }
        })
    }
}

/// The `SSLRequest` message: length 8, code 1234.5679.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// What the URL asked for: the mode, the TLS configuration built once per engine, and the
/// connect timeout.
pub(crate) struct TlsOptions {
    mode: SslMode,
    /// The TLS configuration (with its verifier), for every mode but `disable`.
    config: Option<Arc<ClientConfig>>,
    /// `sslrootcert` as given, for messages.
    rootcert: Option<String>,
    timeout: Option<Duration>,
    /// A Unix-socket host: no TLS, and the `postgres` crate connects on its own.
    unix: bool,
    /// `host:port`, for messages.
    target: String,
}

impl TlsOptions {
    /// Reads `sslmode`, `sslrootcert` and the connect timeout, and sets the `postgres` crate's
    /// configuration so this module's connector sees the socket first.
    ///
    /// # Errors
    /// [`Error::Argument`] for an unknown `sslmode`, a CA file that can't be read or holds no
    /// certificate, and the combinations libpq refuses (see the module docs).
    pub(crate) fn new(
        sslmode: Option<&str>,
        sslrootcert: Option<&str>,
        timeout: Option<Duration>,
        host: &str,
        port: u16,
        config: &mut postgres::Config,
    ) -> Result<Self> {
        let system = sslrootcert == Some("system");
        let mode = match sslmode {
            Some(v) => SslMode::parse(v)?,
            None if system => SslMode::VerifyFull,
            None if sslrootcert.is_some() => SslMode::Prefer,
            None => SslMode::Disable,
        };
        if system && mode != SslMode::VerifyFull {
            return Err(Error::argument(format!(
                "sslmode={} with sslrootcert=system: the system's roots trust any name they signed, so libpq asks for sslmode=verify-full with them (write that, or give sslrootcert=PATH)",
                sslmode.unwrap_or_default()
            )));
        }
        if matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) && sslrootcert.is_none() {
            return Err(Error::argument(format!(
                "sslmode={} needs the CA to check the server's certificate against: add sslrootcert=PATH (a PEM file) or sslrootcert=system",
                sslmode.unwrap_or_default()
            )));
        }
        let unix = host.starts_with('/');
        let tls_config = match mode {
            SslMode::Disable => None,
            _ => {
                let roots = sslrootcert.map(load_roots).transpose()?;
                Some(client_config(roots, mode == SslMode::VerifyFull)?)
            }
        };
        if unix {
            config.ssl_mode(WireMode::Disable);
        } else {
            // The connector gets the socket before any byte is written (see the module docs).
            config.ssl_mode(WireMode::Require);
            config.ssl_negotiation(SslNegotiation::Direct);
        }
        Ok(TlsOptions {
            mode,
            config: tls_config,
            rootcert: sslrootcert.map(str::to_string),
            timeout,
            unix,
            target: format!("{host}:{port}"),
        })
    }

    /// Connects: one attempt, or for `allow` a plain one and, if the server refuses it, one
    /// with TLS.
    ///
    /// # Errors
    /// [`Error::Timeout`] past `connect_timeout`; [`Error::Operational`] for a certificate
    /// that fails verification (the message says why and which option to check) or a server
    /// without TLS under `require`; otherwise the driver's error mapping.
    pub(crate) fn connect(&self, config: &postgres::Config) -> Result<postgres::Client> {
        // A timeout too far away to be an Instant is no deadline (connect_timeout=2^64-1).
        let deadline = self.timeout.and_then(|t| Instant::now().checked_add(t));
        let plan = match self.mode {
            SslMode::Disable | SslMode::Allow => Plan::Plain,
            SslMode::Prefer => Plan::Tls { fallback: true },
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                Plan::Tls { fallback: false }
            }
        };
        match self.attempt(config, plan, deadline) {
            Err((e, _)) if self.mode == SslMode::Allow && e.as_db_error().is_some() => self
                .attempt(config, Plan::Tls { fallback: false }, deadline)
                .map_err(|(e, state)| self.connect_error(e, &state)),
            other => other.map_err(|(e, state)| self.connect_error(e, &state)),
        }
    }

    fn attempt(
        &self,
        config: &postgres::Config,
        plan: Plan,
        deadline: Option<Instant>,
    ) -> std::result::Result<postgres::Client, (postgres::Error, Arc<State>)> {
        let state = Arc::new(State::default());
        let connector = Connector {
            plan: if self.unix { Plan::Plain } else { plan },
            tls: self.config.clone(),
            deadline,
            state: state.clone(),
        };
        let out = config.connect(connector);
        // Connected or not, the deadline is over: statements have their own limits.
        state.done.store(true, Ordering::Release);
        out.map_err(|e| (e, state))
    }

    /// Maps a failed connect: the deadline, TLS verification and refusal, then the rest.
    fn connect_error(&self, e: postgres::Error, state: &State) -> Error {
        let target = &self.target;
        // The postgres crate's own connect_timeout (the TCP connect) fails with TimedOut; with
        // no connect_timeout, a TimedOut is the kernel's and stays the driver's error.
        let tcp_timeout = self.timeout.is_some()
            && chain(&e).any(|s| {
                s.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
            });
        if state.timed_out.load(Ordering::Acquire) || tcp_timeout {
            let secs = self.timeout.map_or(0, |t| t.as_secs());
            let what = if state.timed_out.load(Ordering::Acquire) {
                "the server accepted the TCP connection but did not complete the PostgreSQL handshake in time"
            } else {
                "the TCP connection was not established in time"
            };
            return Error::Timeout(DatabaseError::new(format!(
                "could not connect to {target} within connect_timeout={secs}s: {what}"
            )));
        }
        if let Some(h) = chain(&e).find_map(|s| s.downcast_ref::<HandshakeError>()) {
            let msg = match h {
                HandshakeError::Rustls(err @ rustls::Error::InvalidCertificate(c)) => {
                    let hint = match c {
                        CertificateError::NotValidForName
                        | CertificateError::NotValidForNameContext { .. } => {
                            "the certificate does not name the host in the URL: connect with a name it lists, or use sslmode=verify-ca to check the CA only".to_string()
                        }
                        _ => match &self.rootcert {
                            Some(path) => format!(
                                "check sslrootcert= (now {path}): it must hold the CA that signed the server's certificate"
                            ),
                            None => "check sslrootcert=: it must hold the CA that signed the server's certificate".to_string(),
                        },
                    };
                    format!(
                        "TLS verification of the server's certificate failed connecting to {target}: {err}; {hint}"
                    )
                }
                HandshakeError::NotSupported => format!(
                    "the server at {target} does not accept TLS connections, and sslmode={} requires TLS: enable ssl on the server, or use sslmode=prefer or disable on a trusted network",
                    mode_name(self.mode)
                ),
                other => format!("TLS handshake with {target} failed: {other}"),
            };
            return Error::Operational(DatabaseError::new(msg));
        }
        super::connect_error(e)
    }
}

fn mode_name(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "disable",
        SslMode::Allow => "allow",
        SslMode::Prefer => "prefer",
        SslMode::Require => "require",
        SslMode::VerifyCa => "verify-ca",
        SslMode::VerifyFull => "verify-full",
    }
}

/// An error and its sources.
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |s| s.source())
}

/// Reads the CA certificates of `sslrootcert=PATH` (PEM), or the compiled-in Mozilla roots
/// for `system`.
fn load_roots(path: &str) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    if path == "system" {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(roots);
    }
    let read = |why: String| Error::argument(format!("sslrootcert={path}: {why}"));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| read(format!("can't read the CA file: {e}")))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| read(format!("not a PEM file of certificates: {e}")))?;
    if certs.is_empty() {
        return Err(read(
            "no certificate (-----BEGIN CERTIFICATE-----) in the file".into(),
        ));
    }
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| read(format!("a certificate rustls can't use as a CA: {e}")))?;
    }
    Ok(roots)
}

/// The rustls configuration: the `ring` provider and [`Verifier`].
fn client_config(roots: Option<RootCertStore>, check_name: bool) -> Result<Arc<ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let webpki = roots
        .map(|r| {
            WebPkiServerVerifier::builder_with_provider(Arc::new(r), provider.clone())
                .build()
                .map_err(|e| Error::argument(format!("sslrootcert: {e}")))
        })
        .transpose()?;
    let verifier = Verifier {
        webpki,
        check_name,
        provider: provider.clone(),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::argument(format!("TLS configuration: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Checks the server's certificate as the mode asks: not at all (no CA given: the handshake
/// signatures are still checked, so the session is encrypted to whoever holds the key), the
/// chain only, or the chain and the name.
#[derive(Debug)]
struct Verifier {
    webpki: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(webpki) = &self.webpki else {
            return Ok(ServerCertVerified::assertion());
        };
        // webpki checks the chain first, then the name: a name error means the chain is good.
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One connection attempt: plain, or TLS (falling back to plain when the server says no, for
/// `prefer`).
#[derive(Clone, Copy, Debug)]
enum Plan {
    Plain,
    Tls { fallback: bool },
}

/// What one attempt's stream and the driver share: whether the handshake is over (the
/// deadline disarmed), and whether the deadline fired.
#[derive(Default, Debug)]
struct State {
    done: AtomicBool,
    timed_out: AtomicBool,
}

/// Why the connector failed (a source of the `postgres` error `connect` returns).
#[derive(Debug, thiserror::Error)]
enum HandshakeError {
    #[error("the server does not accept TLS")]
    NotSupported,
    #[error("the server answered the TLS request with {0:#04x}, not S or N: is it PostgreSQL?")]
    Unexpected(u8),
    #[error("the host name '{0}' can't be used for TLS: {1}")]
    Name(String, rustls::pki_types::InvalidDnsNameError),
    #[error("{0}")]
    Rustls(rustls::Error),
    #[error("{0}")]
    Io(io::Error),
}

impl From<io::Error> for HandshakeError {
    /// rustls reports a refused certificate as an I/O error wrapping its own.
    fn from(e: io::Error) -> Self {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            Some(tls) => HandshakeError::Rustls(tls.clone()),
            None => HandshakeError::Io(e),
        }
    }
}

/// The `postgres` crate's TLS hook (see the module docs).
struct Connector {
    plan: Plan,
    tls: Option<Arc<ClientConfig>>,
    deadline: Option<Instant>,
    state: Arc<State>,
}

impl MakeTlsConnect<Socket> for Connector {
    type Stream = Stream;
    type TlsConnect = Connect;
    type Error = HandshakeError;

    fn make_tls_connect(&mut self, domain: &str) -> std::result::Result<Connect, HandshakeError> {
        let tls = match (self.plan, &self.tls) {
            (Plan::Tls { fallback }, Some(config)) => {
                let name = ServerName::try_from(domain.to_string())
                    .map_err(|e| HandshakeError::Name(domain.to_string(), e))?;
                Some((config.clone(), name, fallback))
            }
            _ => None,
        };
        Ok(Connect {
            tls,
            deadline: self.deadline,
            state: self.state.clone(),
        })
    }
}

/// One connection's hook: the TLS request and handshake (when asked), and the deadline.
struct Connect {
    tls: Option<(Arc<ClientConfig>, ServerName<'static>, bool)>,
    deadline: Option<Instant>,
    state: Arc<State>,
}

type ConnectFuture =
    Pin<Box<dyn Future<Output = std::result::Result<Stream, HandshakeError>> + Send>>;

impl TlsConnect<Socket> for Connect {
    type Stream = Stream;
    type Error = HandshakeError;
    type Future = ConnectFuture;

    fn connect(self, socket: Socket) -> ConnectFuture {
        Box::pin(async move {
            // Made here, inside the crate's runtime, whose timer the deadline uses.
            let mut stream = Deadline::new(socket, self.deadline, self.state);
            let Some((config, name, fallback)) = self.tls else {
                return Ok(Stream::Plain(stream));
            };
            stream.write_all(&SSL_REQUEST).await?;
            let mut answer = [0u8; 1];
            stream.read_exact(&mut answer).await?;
            match answer[0] {
                b'S' => {
                    let tls = tokio_rustls::TlsConnector::from(config)
                        .connect(name, stream)
                        .await?;
                    Ok(Stream::Tls(Box::new(tls)))
                }
                b'N' if fallback => Ok(Stream::Plain(stream)),
                b'N' => Err(HandshakeError::NotSupported),
                other => Err(HandshakeError::Unexpected(other)),
            }
        })
    }
}

/// The connection's stream: the socket, in TLS or not, under the handshake deadline.
pub(crate) enum Stream {
    Plain(Deadline),
    Tls(Box<tokio_rustls::client::TlsStream<Deadline>>),
}

impl TlsStream for Stream {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The socket with the handshake deadline: while the handshake runs, a read or write still
/// waiting when the deadline passes fails with `TimedOut`; once the driver marks the
/// handshake done, the timer is dropped and the socket is used as is.
pub(crate) struct Deadline {
    socket: Socket,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    state: Arc<State>,
}

impl Deadline {
    fn new(socket: Socket, deadline: Option<Instant>, state: Arc<State>) -> Self {
        let timer =
            deadline.map(|d| Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(d))));
        Deadline {
            socket,
            timer,
            state,
        }
    }

    /// Called when the socket is not ready: the error to return if the deadline has passed.
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        let timer = self.timer.as_mut()?;
        if self.state.done.load(Ordering::Acquire) {
            self.timer = None;
            return None;
        }
        if timer.as_mut().poll(cx).is_pending() {
            return None;
        }
        self.state.timed_out.store(true, Ordering::Release);
        Some(io::Error::new(
            io::ErrorKind::TimedOut,
            "connect_timeout passed during the handshake",
        ))
    }

    fn check<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
            ready => ready,
        }
    }
}

impl AsyncRead for Deadline {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.socket).poll_read(cx, buf);
        this.check(cx, polled)
    }
}

impl AsyncWrite for Deadline {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.socket).poll_write(cx, buf);
        this.check(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.socket).poll_write_vectored(cx, bufs);
        this.check(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.socket).poll_flush(cx);
        this.check(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argument(r: Result<TlsOptions>) -> String {
        match r {
            Err(Error::Argument(m)) => m,
            Err(other) => panic!("expected Error::Argument, got {other:?}"),
            Ok(_) => panic!("expected Error::Argument, got options"),
        }
    }

    fn options(mode: Option<&str>, root: Option<&str>) -> Result<TlsOptions> {
        let mut config = postgres::Config::new();
        TlsOptions::new(mode, root, None, "db.example", 5432, &mut config)
    }

    #[test]
    fn modes_parse_as_libpq_spells_them() {
        assert_eq!(
            options(None, None).map(|o| o.mode).ok(),
            Some(SslMode::Disable)
        );
        assert_eq!(
            options(Some("require"), None).map(|o| o.mode).ok(),
            Some(SslMode::Require)
        );
        assert_eq!(
            argument(options(Some("REQUIRE"), None)),
            "sslmode=REQUIRE in the URL: write disable, allow, prefer, require, verify-ca or verify-full"
        );
        assert_eq!(
            options(None, Some("system")).map(|o| o.mode).ok(),
            Some(SslMode::VerifyFull)
        );
    }

    #[test]
    fn verification_needs_a_ca_and_system_roots_need_verify_full() {
        assert!(
            argument(options(Some("verify-ca"), None))
                .starts_with("sslmode=verify-ca needs the CA")
        );
        assert!(
            argument(options(Some("require"), Some("system")))
                .starts_with("sslmode=require with sslrootcert=system")
        );
        let missing = argument(options(Some("verify-full"), Some("/nonexistent/ca.pem")));
        assert!(
            missing.starts_with("sslrootcert=/nonexistent/ca.pem: can't read the CA file"),
            "{missing}"
        );
    }
}

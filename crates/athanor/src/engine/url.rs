//! [`Url`]: SQLAlchemy's database URL, `dialect[+driver]://user:password@host:port/database?key=value`.

use std::fmt;

use percent_encoding::percent_decode_str;

use crate::{Error, Result};

/// A parsed database URL.
///
/// ```
/// use athanor::Url;
/// let u = Url::parse("postgresql+postgres://scott:ti%40ger@[::1]:5433/test?sslmode=disable")?;
/// assert_eq!(u.dialect(), "postgresql");
/// assert_eq!(u.driver(), Some("postgres"));
/// assert_eq!(u.username.as_deref(), Some("scott"));
/// assert_eq!(u.password.as_deref(), Some("ti@ger"));
/// assert_eq!(u.host.as_deref(), Some("::1"));
/// assert_eq!((u.port, u.database.as_deref()), (Some(5433), Some("test")));
/// assert_eq!(u.query_value("sslmode"), Some("disable"));
/// assert_eq!(u.to_string(), "postgresql+postgres://scott:***@[::1]:5433/test?sslmode=disable");
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Url {
    /// `dialect` or `dialect+driver`.
    pub drivername: String,
    /// The user name, percent-decoded.
    pub username: Option<String>,
    /// The password, percent-decoded.
    pub password: Option<String>,
    /// The host (IPv6 without brackets).
    pub host: Option<String>,
    /// The port.
    pub port: Option<u16>,
    /// The database (for SQLite, the file path; `None` or `:memory:` for memory).
    pub database: Option<String>,
    /// Query options, in order.
    pub query: Vec<(String, String)>,
}

fn decode(s: &str, what: &str) -> Result<String> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            Error::argument(format!(
                "the {what} in the database URL is not valid UTF-8 after percent-decoding"
            ))
        })
}

impl Url {
    /// Parses a URL.
    ///
    /// # Errors
    /// [`Error::Argument`] naming what is wrong: no `://`, an empty dialect, a bad port.
    pub fn parse(s: &str) -> Result<Url> {
        let s = s.trim();
        let bad = |why: &dyn fmt::Display| {
            Error::argument(format!(
                "could not parse database URL '{}': {why} (expected dialect[+driver]://[user[:password]@]host[:port]/database)",
                mask(s)
            ))
        };
        let parsed = url::Url::parse(s).map_err(|e| bad(&e))?;
        if !s.contains("://") || parsed.cannot_be_a_base() {
            return Err(bad(&"no '//' after the dialect"));
        }
        let username = Some(parsed.username())
            .filter(|u| !u.is_empty())
            .map(|u| decode(u, "user name"))
            .transpose()?;
        let password = parsed
            .password()
            .map(|p| decode(p, "password"))
            .transpose()?;
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => Some(decode(d, "host")?),
            Some(url::Host::Ipv4(ip)) => Some(ip.to_string()),
            Some(url::Host::Ipv6(ip)) => Some(ip.to_string()),
            _ => None,
        };
        let path = parsed.path();
        let path = path.strip_prefix('/').unwrap_or(path);
        let database = Some(path)
            .filter(|p| !p.is_empty())
            .map(|p| decode(p, "database"))
            .transpose()?;
        let query = parsed
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(Url {
            drivername: parsed.scheme().to_ascii_lowercase(),
            username,
            password,
            host,
            port: parsed.port(),
            database,
            query,
        })
    }

    /// The dialect part of the driver name (`postgresql` for `postgresql+postgres`).
    pub fn dialect(&self) -> &str {
        self.drivername.split('+').next().unwrap_or("")
    }

    /// The driver part, if given.
    pub fn driver(&self) -> Option<&str> {
        self.drivername.split_once('+').map(|(_, d)| d)
    }

    /// A query option's value.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The URL as text, with the password shown or hidden (`***`).
    pub fn render(&self, hide_password: bool) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let mut out = format!("{}://", self.drivername);
        if let Some(u) = &self.username {
            out.push_str(&enc(u));
            if let Some(p) = &self.password {
                out.push(':');
                if hide_password {
                    out.push_str("***");
                } else {
                    out.push_str(&enc(p));
                }
            }
            out.push('@');
        }
        if let Some(h) = &self.host {
            if h.contains(':') {
                out.push_str(&format!("[{h}]"));
            } else {
                out.push_str(h);
            }
        }
        if let Some(p) = self.port {
            out.push_str(&format!(":{p}"));
        }
        if let Some(d) = &self.database {
            out.push('/');
            out.push_str(d);
        }
        if !self.query.is_empty() {
            out.push('?');
            let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&pairs.join("&"));
        }
        out
    }
}

/// The URL text with any password replaced by `***`, for error messages.
fn mask(s: &str) -> String {
    match (s.find("://"), s.rfind('@')) {
        (Some(i), Some(j)) if j > i => {
            let auth = &s[i + 3..j];
            match auth.find(':') {
                Some(k) => format!("{}{}:***{}", &s[..i + 3], &auth[..k], &s[j..]),
                None => s.to_string(),
            }
        }
        _ => s.to_string(),
    }
}

/// Shows the URL with the password hidden.
impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(true))
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Url({})", self.render(true))
    }
}

impl std::str::FromStr for Url {
    type Err = Error;
    fn from_str(s: &str) -> Result<Url> {
        Url::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_forms() {
        let u = Url::parse("sqlite://").unwrap();
        assert_eq!(
            (u.dialect(), u.database.as_deref(), u.host.as_deref()),
            ("sqlite", None, None)
        );
        let u = Url::parse("sqlite:///:memory:").unwrap();
        assert_eq!(u.database.as_deref(), Some(":memory:"));
        let u = Url::parse("sqlite:///relative.db").unwrap();
        assert_eq!(u.database.as_deref(), Some("relative.db"));
        let u = Url::parse("sqlite:////absolute/path.db").unwrap();
        assert_eq!(u.database.as_deref(), Some("/absolute/path.db"));
    }

    #[test]
    fn server_forms() {
        let u = Url::parse("mysql://root@127.0.0.1:3306/test").unwrap();
        assert_eq!(u.username.as_deref(), Some("root"));
        assert_eq!(u.password, None);
        assert_eq!(u.port, Some(3306));
        let u = Url::parse("mariadb://u:p%2Fw%3Ad@localhost/db").unwrap();
        assert_eq!(u.password.as_deref(), Some("p/w:d"));
        assert_eq!(u.render(false), "mariadb://u:p%2Fw%3Ad@localhost/db");
        let u = Url::parse("postgresql://[2001:db8::1]/x").unwrap();
        assert_eq!((u.host.as_deref(), u.port), (Some("2001:db8::1"), None));
    }

    #[test]
    fn malformed() {
        for bad in [
            "nonsense",
            "://x",
            "post gres://h/d",
            "postgresql://h:99999/d",
            "postgresql://[::1/d",
            "pg://h:abc/d",
        ] {
            let e = Url::parse(bad).unwrap_err();
            assert!(matches!(e, Error::Argument(_)), "{bad}: {e}");
        }
        let e = Url::parse("postgresql://u:secret@h:x/d").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}

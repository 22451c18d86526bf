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
        // The database and query come from the text as written, as SQLAlchemy reads them:
        // the url crate would resolve `..` (`sqlite:///../x.db` opening `x.db`) and cut a
        // `#` and what follows as a fragment.
        let (path, query) = raw_path_and_query(s).map_err(|why| bad(&why))?;
        let database = Some(path.strip_prefix('/').unwrap_or(path))
            .filter(|p| !p.is_empty())
            .map(|p| decode(p, "database"))
            .transpose()?;
        let query = url::form_urlencoded::parse(query.as_bytes())
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
            out.extend(percent_encoding::utf8_percent_encode(d, DATABASE));
        }
        if !self.query.is_empty() {
            out.push('?');
            let q = |s: &str| percent_encoding::utf8_percent_encode(s, QUERY).to_string();
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", q(k), q(v)))
                .collect();
            out.push_str(&pairs.join("&"));
        }
        out
    }
}

/// The path (from its leading `/`, up to the first `?`) and the query (after it) of a URL as
/// written; the authority ends at the first `/`, `?` or `#` after `://`.
fn raw_path_and_query(s: &str) -> std::result::Result<(&str, &str), &'static str> {
    let after = s.find("://").map_or(s, |i| &s[i + 3..]);
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let rest = &after[end..];
    if rest.starts_with('#') {
        return Err("a '#' before the database: percent-encode it as %23");
    }
    Ok(rest.split_once('?').unwrap_or((rest, "")))
}

/// What `render` percent-encodes in a database name: what would end it (`?`), what the URL
/// parser would refuse or drop (controls, `#`), and `%` itself; `/` stays (SQLite paths).
const DATABASE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// What `render` percent-encodes in a query key or value: all but letters, digits and `-._~`.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

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
    fn paths_are_taken_as_written() {
        for (url, db) in [
            ("sqlite:///../x.db", "../x.db"),
            ("sqlite:///./a/../b.db", "./a/../b.db"),
            ("sqlite:////tmp/../x.db", "/tmp/../x.db"),
            ("sqlite:///x#1.db", "x#1.db"),
            ("sqlite:///a%3Fb.db?echo=true", "a?b.db"),
            ("mysql://h/d%3Fb?x=1#y", "d?b"),
        ] {
            let u = Url::parse(url).unwrap();
            assert_eq!(u.database.as_deref(), Some(db), "{url}");
        }
        let u = Url::parse("mysql://h/d?x=1#y&z=a+b%2B").unwrap();
        assert_eq!(
            u.query,
            [("x".into(), "1#y".into()), ("z".into(), "a b+".into())]
        );
        assert_eq!(u.render(false), "mysql://h/d?x=1%23y&z=a%20b%2B");
        let e = Url::parse("mysql://h#x/db").unwrap_err();
        assert!(e.to_string().contains("percent-encode it as %23"), "{e}");
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

#[cfg(test)]
mod round_trip {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    fn config() -> Config {
        Config {
            cases: 256,
            rng_seed: RngSeed::Fixed(17),
            failure_persistence: None,
            ..Config::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// `render(false)` writes a URL that parses back to the same parts: a password, a
        /// database name or an option value with `?`, `#`, `&`, `=`, `+`, `%` or spaces in it
        /// keeps them.
        #[test]
        fn render_parses_back_to_the_same_url(
            user in proptest::option::of(any::<String>().prop_filter("non-empty", |s| !s.is_empty())),
            password in proptest::option::of(any::<String>()),
            database in any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
            query in proptest::collection::vec((any::<String>(), any::<String>()), 0..3),
            port in proptest::option::of(1u16..),
        ) {
            let mut u = Url::parse("mysql://h/db").map_err(|e| TestCaseError::fail(e.to_string()))?;
            u.password = password.filter(|_| user.is_some());
            u.username = user;
            u.port = port;
            u.database = Some(database);
            u.query = query.into_iter().filter(|(k, _)| !k.is_empty()).collect();
            let text = u.render(false);
            let back = Url::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(back.render(false), text.clone());
            prop_assert_eq!(back, u, "{}", text);
        }
    }
}

//! Who may use the page, and what a page from elsewhere may make it do.
//!
//! - **Loopback by default.** Without `--token` the server binds only to a loopback address,
//!   and answers only requests whose `Host` is that address or `localhost`: a web site that
//!   points its own name at 127.0.0.1 (DNS rebinding) gets 403 instead of the survey's answers.
//! - **A token off loopback.** With `--token` every request must carry it, as
//!   `Authorization: Bearer T` or as the cookie that the one-time URL `/?token=T` sets (the
//!   page then redirects to `/`, so the token leaves the address bar and history); else 401.
//! - **Corrections only from the page.** A POST needs an `Origin` equal to the server's own
//!   and the CSRF token of the session in `X-CSRF-Token`, matching the session's cookie (a
//!   random value per browser session, HttpOnly, SameSite=Strict); else 403.
//! - **Every response** forbids framing, sniffing and scripts from anywhere but the server
//!   (Content-Security-Policy), and sends no referrer.

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// A token must be at least this long: it is the only thing between the network and the answers.
pub const MIN_TOKEN_CHARS: usize = 16;

const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
    base-uri 'none'; frame-ancestors 'none'";

/// The server's access rules.
#[derive(Debug, Clone)]
pub struct Security {
    token: Option<String>,
    /// `Host` values accepted without a token (the loopback names with the port).
    hosts: Vec<String>,
    /// Cookie names carry the port: browsers share cookies between ports of one host.
    token_cookie: String,
    csrf_cookie: String,
}

/// What a request may do after [`Security::check`].
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// The one-time URL: set the token cookie and redirect to the page.
    SetTokenCookie,
    Refuse(StatusCode, &'static str),
}

impl Security {
    /// Access rules for a server listening on `bind`.
    pub fn new(bind: std::net::SocketAddr, token: Option<String>) -> Security {
        let port = bind.port();
        let mut hosts = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
            match bind {
                std::net::SocketAddr::V4(v4) => format!("{}:{port}", v4.ip()),
                std::net::SocketAddr::V6(v6) => format!("[{}]:{port}", v6.ip()),
            },
        ];
        if port == 80 {
            hosts.extend(["localhost".into(), "127.0.0.1".into(), "[::1]".into()]);
        }
        hosts.dedup();
        Security {
            token,
            hosts,
            token_cookie: format!("jiyu_token_{port}"),
            csrf_cookie: format!("jiyu_csrf_{port}"),
        }
    }

    /// Checks a request's host and token.
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Verdict {
        let Some(token) = &self.token else {
            let host = header_str(headers, header::HOST).unwrap_or("");
            if !self
                .hosts
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(host))
            {
                return Verdict::Refuse(
                    StatusCode::FORBIDDEN,
                    "このサーバーには localhost または 127.0.0.1 のアドレスで接続してください",
                );
            }
            return Verdict::Allow;
        };
        // The script and style sheet are the same for everyone and hold no answers; the
        // pages that refuse a request use the style sheet too.
        if path.starts_with("/static/") {
            return Verdict::Allow;
        }
        // The one-time URL first, so its token never stays in the address bar.
        if *method == Method::GET && path == "/" {
            let given = query.and_then(|query| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                    .ok()?
                    .into_iter()
                    .find(|(name, _)| name == "token")
                    .map(|(_, value)| value)
            });
            if given.is_some_and(|given| same(&given, token)) {
                return Verdict::SetTokenCookie;
            }
        }
        let bearer = header_str(headers, header::AUTHORIZATION)
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        if bearer.is_some_and(|given| same(given, token)) {
            return Verdict::Allow;
        }
        if cookie(headers, &self.token_cookie).is_some_and(|given| same(given, token)) {
            return Verdict::Allow;
        }
        Verdict::Refuse(
            StatusCode::UNAUTHORIZED,
            "このページを開くにはトークンが必要です。サーバーを起動した人から受け取った URL \
             （/?token=…）を開いてください",
        )
    }

    /// The `Set-Cookie` value that the one-time URL sets.
    pub fn token_cookie(&self) -> Option<String> {
        self.token.as_ref().map(|token| {
            format!(
                "{}={token}; Path=/; HttpOnly; SameSite=Strict",
                self.token_cookie
            )
        })
    }

    /// The session's CSRF token (from its cookie), or a new one with the cookie that sets it.
    pub fn csrf_session(&self, headers: &HeaderMap) -> std::io::Result<(String, Option<String>)> {
        if let Some(existing) =
            cookie(headers, &self.csrf_cookie).filter(|value| is_csrf_token(value))
        {
            return Ok((existing.to_string(), None));
        }
        let fresh = random_token()?;
        let set = format!(
            "{}={fresh}; Path=/; HttpOnly; SameSite=Strict",
            self.csrf_cookie
        );
        Ok((fresh, Some(set)))
    }

    /// Checks that a state-changing request comes from the page itself: same origin, and the
    /// session's CSRF token in `X-CSRF-Token`.
    pub fn check_post(&self, headers: &HeaderMap) -> Result<(), &'static str> {
        let host = header_str(headers, header::HOST).unwrap_or("");
        let origin = header_str(headers, header::ORIGIN).unwrap_or("");
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or("");
        if host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            return Err("別のページからの修正は受け付けません（Origin が一致しません）");
        }
        let expected = cookie(headers, &self.csrf_cookie).filter(|value| is_csrf_token(value));
        let given = header_str(headers, "x-csrf-token");
        match (expected, given) {
            (Some(expected), Some(given)) if same(given, expected) => Ok(()),
            _ => {
                Err("セッションの確認に失敗しました。ページを再読み込みしてからやり直してください")
            }
        }
    }

    /// Adds the headers every response carries.
    pub fn harden(headers: &mut HeaderMap) {
        let fixed = [
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::REFERRER_POLICY, "no-referrer"),
        ];
        for (name, value) in fixed {
            headers.insert(name, HeaderValue::from_static(value));
        }
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
}

/// Refuses to serve beyond loopback without a token, and tokens too short to guess hard.
pub fn check_bind(bind: std::net::SocketAddr, token: Option<&str>) -> crate::Result<()> {
    if let Some(token) = token {
        if token.chars().count() < MIN_TOKEN_CHARS
            || !token.chars().all(|ch| ch.is_ascii_graphic())
            || token.contains([';', ',', '"', '\\'])
        {
            return Err(crate::Error::Usage(format!(
                "--token must be at least {MIN_TOKEN_CHARS} printable ASCII characters without \
                 ; , \" or \\ (for example the output of `openssl rand -hex 16`)"
            )));
        }
        return Ok(());
    }
    if !bind.ip().is_loopback() {
        return Err(crate::Error::Usage(format!(
            "--bind {bind} would show the answers to anyone on the network; give --token T \
             (at least {MIN_TOKEN_CHARS} characters, e.g. from `openssl rand -hex 16`) so that \
             only people with the token can open the page, or bind to 127.0.0.1"
        )));
    }
    Ok(())
}

/// 32 hex digits from the operating system's random source.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn is_csrf_token(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|byte| byte.is_ascii_hexdigit())
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The value of cookie `name`, from any `Cookie` header.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Compares secrets in time that does not depend on where they differ.
fn same(given: &str, expected: &str) -> bool {
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    if given.len() != expected.len() {
        return false;
    }
    given
        .iter()
        .zip(expected)
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        map
    }

    #[test]
    fn loopback_needs_a_loopback_host() {
        let security = Security::new("127.0.0.1:8080".parse().expect("addr"), None);
        let ok = headers(&[("host", "localhost:8080")]);
        assert_eq!(security.check(&Method::GET, "/", None, &ok), Verdict::Allow);
        let rebound = headers(&[("host", "evil.example:8080")]);
        assert!(matches!(
            security.check(&Method::GET, "/", None, &rebound),
            Verdict::Refuse(StatusCode::FORBIDDEN, _)
        ));
    }

    #[test]
    fn a_token_is_needed_when_set() {
        let token = "0123456789abcdef0123";
        let security = Security::new("0.0.0.0:8080".parse().expect("addr"), Some(token.into()));
        let none = headers(&[("host", "server:8080")]);
        assert!(matches!(
            security.check(&Method::GET, "/api/search", None, &none),
            Verdict::Refuse(StatusCode::UNAUTHORIZED, _)
        ));
        let bearer = headers(&[("authorization", "Bearer 0123456789abcdef0123")]);
        assert_eq!(
            security.check(&Method::GET, "/api/search", None, &bearer),
            Verdict::Allow
        );
        let cookie = headers(&[("cookie", "a=b; jiyu_token_8080=0123456789abcdef0123")]);
        assert_eq!(
            security.check(&Method::GET, "/x", None, &cookie),
            Verdict::Allow
        );
        assert_eq!(
            security.check(&Method::GET, "/", Some("token=0123456789abcdef0123"), &none),
            Verdict::SetTokenCookie
        );
        assert!(check_bind("0.0.0.0:1".parse().expect("addr"), None).is_err());
        assert!(check_bind("0.0.0.0:1".parse().expect("addr"), Some("short")).is_err());
        assert!(check_bind("127.0.0.1:1".parse().expect("addr"), None).is_ok());
    }

    #[test]
    fn posts_need_the_origin_and_the_session_token() {
        let security = Security::new("127.0.0.1:8080".parse().expect("addr"), None);
        let csrf = "0123456789abcdef0123456789abcdef";
        let cookie = format!("jiyu_csrf_8080={csrf}");
        let good = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("cookie", &cookie),
            ("x-csrf-token", csrf),
        ]);
        assert!(security.check_post(&good).is_ok());
        let foreign = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
            ("cookie", &cookie),
            ("x-csrf-token", csrf),
        ]);
        assert!(security.check_post(&foreign).is_err());
        let no_token = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("cookie", &cookie),
        ]);
        assert!(security.check_post(&no_token).is_err());
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}

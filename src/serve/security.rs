//! What keeps the page to the one person who started it: a random per-run token every request
//! must carry (query `t`, header `X-Voronka-Token` or the cookie the page sets), and a `Host`
//! header that names the bound address (a page on another site that rebinds its DNS name to
//! 127.0.0.1 sends its own name, and is refused: DNS rebinding).
//!
//! Depends on nothing but the OS random source and `axum`'s request types.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The name of the cookie the page sets with the token.
pub const COOKIE: &str = "voronka_token";
/// The header a script may send the token in.
pub const HEADER: &str = "x-voronka-token";

/// A random per-run secret: 32 hex digits (128 bits) from the OS random source.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A new token; `Err` when the OS has no random source to give.
    pub fn new() -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in time independent of where the first difference is.
    fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// What a request is checked against.
#[derive(Clone)]
pub struct Guard {
    pub token: Token,
    /// The `Host` values accepted: the bound `address:port`, and `localhost:port` on loopback.
    pub hosts: Vec<String>,
}

impl Guard {
    pub fn new(token: Token, bound: SocketAddr) -> Guard {
        let mut hosts = vec![bound.to_string()];
        if bound.ip().is_loopback() {
            hosts.push(format!("localhost:{}", bound.port()));
        }
        Guard { token, hosts }
    }

    /// Why a request is refused, or `None` when it may pass.
    pub fn refuse(&self, headers: &HeaderMap, query: Option<&str>) -> Option<&'static str> {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Some("forbidden: the Host header does not name this server");
        }
        let from_query = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|kv| kv.strip_prefix("t="));
        let from_header = headers.get(HEADER).and_then(|v| v.to_str().ok());
        let from_cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|kv| kv.trim().strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')));
        let ok = [from_query, from_header, from_cookie]
            .into_iter()
            .flatten()
            .any(|t| self.token.matches(t));
        (!ok).then_some("forbidden: a missing or wrong token")
    }
}

/// The middleware every route passes: 403 with a one-line reason when [`Guard::refuse`] says so.
pub async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if let Some(reason) = guard.refuse(request.headers(), request.uri().query()) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from(format!("403 {reason}\n")),
        )
            .into_response();
    }
    next.run(request).await
}

/// A scenario's file name from what the user typed: letters, digits, spaces, `-`, `_` and
/// `.` inside the name only (no path separator, no leading dot), at most 80 characters, with
/// `.yaml`; `None` when nothing is left.
pub fn scenario_file_name(name: &str) -> Option<String> {
    let kept: String = name
        .trim()
        .trim_end_matches(".yaml")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let kept = kept.trim_matches('_');
    (!kept.is_empty()).then(|| format!("{kept}.yaml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn guard() -> Guard {
        Guard::new(Token("abc".into()), "127.0.0.1:8080".parse().unwrap())
    }

    fn headers(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn host_and_token_are_both_required() {
        let g = guard();
        assert_eq!(g.refuse(&headers("127.0.0.1:8080"), Some("t=abc")), None);
        assert_eq!(g.refuse(&headers("localhost:8080"), Some("x=1&t=abc")), None);
        assert!(g.refuse(&headers("evil.example:8080"), Some("t=abc")).is_some());
        assert!(g.refuse(&headers("127.0.0.1:8081"), Some("t=abc")).is_some());
        assert!(g.refuse(&headers("127.0.0.1:8080"), Some("t=abd")).is_some());
        assert!(g.refuse(&headers("127.0.0.1:8080"), None).is_some());
        let mut h = headers("127.0.0.1:8080");
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; voronka_token=abc"));
        assert_eq!(g.refuse(&h, None), None);
    }

    #[test]
    fn tokens_differ_and_are_long() {
        let (a, b) = (Token::new().unwrap(), Token::new().unwrap());
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a.as_str(), b.as_str());
    }

    #[test]
    fn scenario_names_cannot_leave_the_folder() {
        assert_eq!(scenario_file_name("Найм двух").as_deref(), Some("Найм_двух.yaml"));
        assert_eq!(
            scenario_file_name("../../etc/passwd").as_deref(),
            Some("etc_passwd.yaml")
        );
        assert_eq!(scenario_file_name("a/b\\c").as_deref(), Some("a_b_c.yaml"));
        assert_eq!(scenario_file_name(".hidden").as_deref(), Some("hidden.yaml"));
        assert_eq!(scenario_file_name("//"), None);
    }
}

//! The HTTP clients underneath: proxies, redirects, loopback, service roots and bounded bodies.
//! Both the Graph client and the credentials build on this module; it depends on neither.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

/// `User-Agent` and `SdkVersion` of every request.
pub(crate) const USER_AGENT: &str = concat!("graph-entity/", env!("CARGO_PKG_VERSION"));

/// Which proxy requests to a host other than loopback go through.
///
/// Loopback (`localhost`, `127.0.0.0/8`, `::1`) is always reached directly: a local emulator
/// must not be sent to a corporate proxy, and neither must the secrets sent to it.
#[derive(Clone, Default)]
pub(crate) enum Proxy {
    /// The environment's: `HTTPS_PROXY` (or `ALL_PROXY`) for `https` requests, honouring
    /// `NO_PROXY`, as curl and the Azure SDKs read them.
    #[default]
    Environment,
    /// This proxy for every request.
    Url(Url),
    /// No proxy at all.
    Direct,
}

impl Proxy {
    /// A proxy URL, checked: `http` or `https`, with a host. The error does not repeat the URL,
    /// which may hold a password.
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        let url = Url::parse(url).map_err(|e| format!("the proxy URL does not parse: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!(
                "the proxy URL must be `http://host:port` or `https://host:port`, not a `{}` URL",
                url.scheme()
            ));
        }
        Ok(Proxy::Url(url))
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::Environment => f.write_str("Environment"),
            // Never the user info: it may hold the proxy's password.
            Proxy::Url(url) => f
                .debug_tuple("Url")
                .field(&format_args!(
                    "{}://{}:{}",
                    url.scheme(),
                    url.host_str().unwrap_or_default(),
                    url.port_or_known_default().unwrap_or_default()
                ))
                .finish(),
            Proxy::Direct => f.write_str("Direct"),
        }
    }
}

/// A client builder for requests to `target`'s origin: no redirects followed by the HTTP
/// client (the caller decides), no `Referer`, this library's `User-Agent`, and `proxy` unless
/// `target` is loopback.
pub(crate) fn builder(target: &Url, proxy: &Proxy) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .user_agent(USER_AGENT);
    if is_loopback(target) {
        return builder.no_proxy();
    }
    match proxy {
        // reqwest reads the environment itself when no proxy is set.
        Proxy::Environment => builder,
        Proxy::Url(url) => match reqwest::Proxy::all(url.as_str()) {
            Ok(proxy) => builder.proxy(proxy),
            // `Proxy::parse` checked the URL; should reqwest still refuse it, go direct
            // rather than through an unknown path.
            Err(_) => builder.no_proxy(),
        },
        Proxy::Direct => builder.no_proxy(),
    }
}

/// `localhost`, `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks a service root: it parses, has no query, fragment or user info, and is `https`, or
/// plain `http` to loopback only (every request carries the token). Returns it without a
/// trailing `/`, and its origin. The error is a configuration message.
pub(crate) fn check_base_url(raw: &str) -> Result<(String, url::Origin), String> {
    let url = Url::parse(raw).map_err(|e| format!("base URL `{raw}` does not parse: {e}"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("base URL `{raw}` must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("base URL must not contain user info".to_owned());
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "base URL `{raw}` uses plain http to a host that is not loopback: the bearer token would travel unencrypted; use https"
            ));
        }
        other => {
            return Err(format!("base URL scheme `{other}` is not http or https"));
        }
    }
    Ok((url.as_str().trim_end_matches('/').to_owned(), url.origin()))
}

/// Why a bounded read of a body failed.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the limit, as declared or as read.
    TooLarge,
    /// Reading the body failed.
    Read(reqwest::Error),
}

/// Reads at most `limit` bytes of `response`'s body.
///
/// `strict`: a larger body, declared or read, is [`BodyError::TooLarge`] and a failed read is
/// [`BodyError::Read`]. Otherwise the body is cut at `limit` and a failed read ends it: an
/// error body cut short still says what it can.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    strict: bool,
) -> Result<Vec<u8>, BodyError> {
    let declared = response.content_length().and_then(|n| usize::try_from(n).ok());
    if strict && declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(_) if !strict => break,
            Err(error) => return Err(BodyError::Read(error)),
        };
        let room = limit - body.len();
        if chunk.len() > room {
            if strict {
                return Err(BodyError::TooLarge);
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_are_checked_and_never_shown_with_their_password() {
        let proxy = Proxy::parse("http://user:hunter2@proxy.contoso.com:3128").unwrap();
        let shown = format!("{proxy:?}");
        assert_eq!(shown, "Url(http://proxy.contoso.com:3128)");
        for bad in ["socks5://proxy:1080", "not a url", "file:///tmp/x"] {
            let error = Proxy::parse(bad).unwrap_err();
            assert!(!error.is_empty());
        }
        assert!(!Proxy::parse("http://u:hunter2@x y").unwrap_err().contains("hunter2"));
    }

    #[test]
    fn loopback_is_recognised() {
        for (url, loopback) in [
            ("http://127.0.0.1:1/", true),
            ("http://127.9.9.9/", true),
            ("http://[::1]:1/", true),
            ("http://LOCALHOST:1/", true),
            ("https://graph.microsoft.com/", false),
            ("http://127.0.0.1.example.com/", false),
            ("http://10.0.0.1/", false),
        ] {
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), loopback, "{url}");
        }
    }

    #[test]
    fn refuses_tokens_over_plain_http_except_to_loopback() {
        for ok in [
            "https://graph.microsoft.com/v1.0",
            "http://127.0.0.1:8080/v1.0",
            "http://127.1.2.3/v1.0/",
            "http://[::1]:9000/beta",
            "http://localhost:8080/v1.0",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://graph.microsoft.com/v1.0",
            "http://10.0.0.1/v1.0",
            "http://127.0.0.1.example.com/v1.0",
            "ftp://127.0.0.1/v1.0",
            "https://graph.microsoft.com/v1.0?x=1",
            "https://user:pass@graph.microsoft.com/v1.0",
            "not a url",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_base_url("http://127.0.0.1:1/v1.0/").unwrap().0,
            "http://127.0.0.1:1/v1.0"
        );
    }
}

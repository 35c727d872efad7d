//! The HTTP clients underneath: proxies, redirects and loopback.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

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
        .user_agent(crate::client::USER_AGENT);
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
}

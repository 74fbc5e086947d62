//! Which `Host` values the preview answers to: the defence against DNS rebinding, on every bind.
//!
//! A web page elsewhere can point a name it controls at this machine's address, and the browser
//! then sends that page's requests here with `Host: <its name>`. Answering only to the names and
//! addresses of this server keeps such a page from reading the preview (internal builds included).
//! An address written as digits cannot be rebound (the attacker controls names, not numbers), so a
//! request that names an address of this server by its digits is allowed.

use std::net::{IpAddr, SocketAddr};

/// The `Host` values one server answers to.
pub struct AllowedHosts {
    bound: SocketAddr,
    /// Names (lowercase, without a trailing dot) that are allowed besides the addresses.
    names: Vec<String>,
}

impl AllowedHosts {
    /// The hosts of a server bound to `bound`: its address, `localhost` when it listens on loopback,
    /// this machine's own name when it listens beyond loopback, and the names in `extra`
    /// (`--allow-host`).
    pub fn new(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let ip = bound.ip();
        let mut names = Vec::new();
        if ip.is_loopback() || ip.is_unspecified() {
            names.push("localhost".to_owned());
        }
        if !ip.is_loopback()
            && let Some(name) = machine_name()
        {
            names.push(format!("{name}.local"));
            names.push(name);
        }
        names.extend(extra.iter().map(|n| normalise(n)));
        AllowedHosts { bound, names }
    }

    /// True when a request whose `Host` header is `host` may be answered.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let Some((name, port)) = split_port(&host) else { return false };
        if port.is_some_and(|p| p != self.bound.port()) {
            return false;
        }
        let bracketless = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
        if let Ok(ip) = bracketless.parse::<IpAddr>() {
            let ours = self.bound.ip();
            return ip == ours || ours.is_unspecified() || (ours.is_loopback() && ip.is_loopback());
        }
        let name = normalise(name);
        self.names.contains(&name)
            // Browsers resolve every `*.localhost` name to loopback themselves, so no one else can
            // point one here.
            || (name.ends_with(".localhost") && self.names.iter().any(|n| n == "localhost"))
    }

    /// The names allowed besides this server's addresses, for the refusal message.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// `name:port`, `[v6]:port`, `name` or `[v6]` split into the name and the port; `None` when the
/// port is not a number.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        match host.rsplit_once("]:") {
            Some((name, port)) => (&host[..name.len() + 1], Some(port)),
            None => (host, None),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    match port {
        Some(port) => port.parse().ok().map(|p| (name, Some(p))),
        None => Some((name, None)),
    }
}

fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// This machine's name, when it can be had without a lookup on the network.
fn machine_name() -> Option<String> {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok());
    let name = from_file
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())?;
    let name = normalise(&name);
    (!name.is_empty() && name != "localhost").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str, extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        AllowedHosts::new(bound.parse().unwrap(), &extra)
    }

    #[test]
    fn loopback_answers_to_loopback_names_and_addresses_only() {
        let h = hosts("127.0.0.1:8000", &[]);
        for ok in
            ["127.0.0.1:8000", "127.0.0.1", "localhost:8000", "LOCALHOST", "localhost.:8000", "[::1]:8000"]
        {
            assert!(h.allows(ok), "{ok}");
        }
        assert!(h.allows("app.localhost:8000"));
        for refused in [
            "evil.example",
            "evil.example:8000",
            "localhost:8001",
            "10.0.0.1:8000",
            "localhost:x",
            "",
            ":8000",
        ] {
            assert!(!h.allows(refused), "{refused}");
        }
    }

    #[test]
    fn beyond_loopback_names_must_be_listed() {
        let h = hosts("192.0.2.7:8000", &["Preview.Example.org"]);
        assert!(h.allows("192.0.2.7:8000"));
        assert!(h.allows("preview.example.org:8000"));
        assert!(!h.allows("localhost:8000"), "loopback is not listened on");
        assert!(!h.allows("127.0.0.1:8000"));
        assert!(!h.allows("evil.example:8000"));
        assert!(!h.allows("app.localhost:8000"));

        let any = hosts("0.0.0.0:8000", &[]);
        assert!(any.allows("127.0.0.1:8000") && any.allows("192.0.2.7:8000") && any.allows("localhost:8000"));
        assert!(!any.allows("evil.example:8000"));
        let any6 = hosts("[::]:8000", &[]);
        assert!(any6.allows("[2001:db8::1]:8000") && !any6.allows("evil.example"));
    }
}

//! Who the client is, for limits and logs. Behind a reverse proxy the TCP
//! peer is the proxy; `X-Forwarded-For` is believed only from the peers in
//! `VELKOMST_TRUSTED_PROXIES`, and the client is the rightmost address in it
//! that is not itself a trusted proxy (addresses further left are whatever
//! the client chose to send). IPv6 clients are keyed by their /64, which is
//! what one household or phone gets.

use std::net::{IpAddr, Ipv6Addr};

/// An address block, `10.0.0.0/8`, `2001:db8::/32` or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { addr: canonical(addr), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Parses `VELKOMST_TRUSTED_PROXIES`: comma-separated IPs or CIDRs.
pub fn parse_list(s: &str) -> Result<Vec<Cidr>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Cidr::parse(p).ok_or_else(|| format!("{p:?} is not an IP address or CIDR block")))
        .collect()
}

/// The client's address given the TCP peer and any `X-Forwarded-For`
/// values (in header order).
pub fn resolve(peer: IpAddr, forwarded_for: &[&str], trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// What limits count by: an IPv4 address, or an IPv6 /64.
pub fn key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("10.0.0.0/8").expect("cidr");
        assert!(c.contains(ip("10.1.2.3")) && !c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.9.9.9")));
        assert!(Cidr::parse("2001:db8::/32").expect("v6").contains(ip("2001:db8:1::5")));
        assert!(Cidr::parse("127.0.0.1").expect("one").contains(ip("127.0.0.1")));
        assert!(Cidr::parse("0.0.0.0/0").expect("all").contains(ip("8.8.8.8")));
        assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("proxy").is_none());
        assert!(parse_list("10.0.0.1, 192.168.0.0/16").is_ok_and(|v| v.len() == 2));
        assert!(parse_list("10.0.0.1, nonsense").is_err());
        assert!(parse_list("").is_ok_and(|v| v.is_empty()));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_peers() {
        let trusted = parse_list("10.0.0.1, 10.0.0.2").expect("list");
        // Untrusted peer: the header is ignored.
        assert_eq!(resolve(ip("203.0.113.9"), &["1.2.3.4"], &trusted), ip("203.0.113.9"));
        // Trusted peer: the rightmost untrusted hop.
        assert_eq!(resolve(ip("10.0.0.1"), &["6.6.6.6, 198.51.100.7"], &trusted), ip("198.51.100.7"));
        // A chain of proxies is skipped; a spoofed left part is ignored.
        assert_eq!(resolve(ip("10.0.0.1"), &["6.6.6.6", "198.51.100.7, 10.0.0.2"], &trusted), ip("198.51.100.7"));
        // No header, or garbage: the proxy itself.
        assert_eq!(resolve(ip("10.0.0.1"), &[], &trusted), ip("10.0.0.1"));
        assert_eq!(resolve(ip("10.0.0.1"), &["unknown"], &trusted), ip("10.0.0.1"));
        // Nothing trusted: the peer, always.
        assert_eq!(resolve(ip("10.0.0.1"), &["1.2.3.4"], &[]), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        assert_eq!(key(ip("2001:db8:1:2:aaaa::1")), key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(key(ip("2001:db8:1:2::1")), key(ip("2001:db8:1:3::1")));
        assert_eq!(key(ip("192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}

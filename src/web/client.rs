//! The client of a request, as limits and logs see it (see
//! [`crate::domain::net`] for the rules about proxies).

use std::net::IpAddr;

use actix_web::HttpRequest;

use crate::domain::net::{key, resolve, Cidr};

/// The client address of a request, `None` without a TCP peer (tests).
pub fn client_ip(req: &HttpRequest, trusted: &[Cidr]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let values: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
    Some(resolve(peer, &values, trusted))
}

/// The limit key of a request's client.
pub fn client_key(req: &HttpRequest, trusted: &[Cidr]) -> Option<IpAddr> {
    client_ip(req, trusted).map(key)
}

//! iCalendar (RFC 5545) invitations for visits. An update or cancellation
//! keeps the UID and raises SEQUENCE, so calendars replace the event
//! instead of adding a second one.

use chrono::{DateTime, Utc};

pub struct Event<'a> {
    pub uid: &'a str,
    pub sequence: i32,
    pub starts: DateTime<Utc>,
    pub minutes: i64,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
    pub cancelled: bool,
    pub stamp: DateTime<Utc>,
}

pub fn method(cancelled: bool) -> &'static str {
    if cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values: backslash, semicolon, comma and newlines escaped.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace(['\n', '\r'], "\\n")
}

/// Parameter values (names in CN=) are quoted; quotes cannot appear inside.
fn param(s: &str) -> String {
    format!("\"{}\"", s.replace(['"', '\r', '\n'], ""))
}

/// Lines longer than 75 octets are folded (CRLF + space), never inside a
/// UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out
}

pub fn calendar(e: &Event<'_>) -> String {
    // Checked: the last representable instant plus a duration must not panic
    // (a date that far out is refused at input, but this never trusts that).
    let ends =
        chrono::Duration::try_minutes(e.minutes).and_then(|d| e.starts.checked_add_signed(d)).unwrap_or(e.starts);
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Velkomst//Visit//DA".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("METHOD:{}", method(e.cancelled)),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", e.uid),
        format!("SEQUENCE:{}", e.sequence),
        format!("DTSTAMP:{}", utc(e.stamp)),
        format!("DTSTART:{}", utc(e.starts)),
        format!("DTEND:{}", utc(ends)),
        format!("SUMMARY:{}", text(e.summary)),
        format!("LOCATION:{}", text(e.location)),
        format!("DESCRIPTION:{}", text(e.description)),
        format!("ORGANIZER;CN={}:mailto:{}", param(e.organizer_name), e.organizer_email),
        format!("ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{}", param(e.attendee_name), e.attendee_email),
        format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    let mut out: String = lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(cancelled: bool) -> String {
        let starts = DateTime::parse_from_rfc3339("2026-12-03T13:00:00Z").expect("time").with_timezone(&Utc);
        calendar(&Event {
            uid: "visit-1@velkomst",
            sequence: 2,
            starts,
            minutes: 90,
            summary: "Besøg i Præstø, med rundvisning; kaffe",
            location: "Torvet 1\nPræstø",
            description: &"Lang beskrivelse med æøå ".repeat(10),
            organizer_name: "Kim \"K\" Konsulent",
            organizer_email: "kim@kommune.dk",
            attendee_name: "Åse",
            attendee_email: "aase@example.dk",
            cancelled,
            stamp: starts,
        })
    }

    #[test]
    fn an_invitation_is_valid_icalendar() {
        let ics = event(false);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("METHOD:REQUEST\r\n"));
        assert!(ics.contains("SEQUENCE:2\r\n"));
        assert!(ics.contains("DTSTART:20261203T130000Z\r\n"));
        assert!(ics.contains("DTEND:20261203T143000Z\r\n"));
        assert!(ics.contains("SUMMARY:Besøg i Præstø\\, med rundvisning\\; kaffe"));
        assert!(ics.contains("LOCATION:Torvet 1\\nPræstø"));
        assert!(ics.contains("ORGANIZER;CN=\"Kim K Konsulent\":mailto:kim@kommune.dk"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "folded: {line}");
        }
    }

    #[test]
    fn a_cancellation_keeps_the_uid() {
        let ics = event(true);
        assert!(ics.contains("METHOD:CANCEL\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("UID:visit-1@velkomst\r\n"));
    }

    #[test]
    fn no_date_or_duration_makes_it_panic() {
        for (starts, minutes) in [
            (DateTime::<Utc>::MAX_UTC, 90),
            (DateTime::<Utc>::MIN_UTC, -90),
            (DateTime::<Utc>::MAX_UTC, i64::MAX),
            (DateTime::<Utc>::MIN_UTC, i64::MIN),
        ] {
            let ics = calendar(&Event {
                uid: "visit-1@velkomst",
                sequence: 0,
                starts,
                minutes,
                summary: "",
                location: "",
                description: "",
                organizer_name: "",
                organizer_email: "kim@kommune.dk",
                attendee_name: "",
                attendee_email: "aase@example.dk",
                cancelled: false,
                stamp: starts,
            });
            assert!(ics.contains("DTEND:"), "{starts} + {minutes} min");
        }
    }
}

//! Newcomers' events (tilflytterarrangementer): who gets a seat, who waits,
//! and how the seating plan groups people by local area. Pure rules; the
//! storage is `db::events`, the actions `workflow::events`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::text::text_enum;

text_enum!(
    /// Where a guest stands:
    /// - `Invited`: has the link, has not answered.
    /// - `SignedUp`: has seats.
    /// - `Waiting`: on the waiting list (the event was full).
    /// - `Cancelled`: said no, or cancelled.
    pub enum GuestState as "guest state" {
        Invited = "invited", SignedUp = "signed_up", Waiting = "waiting", Cancelled = "cancelled",
    }
);

/// Whether `persons` more fit when `taken` of `capacity` seats are taken.
pub fn fits(capacity: i32, taken: i32, persons: i32) -> bool {
    taken + persons <= capacity
}

/// A guest on the waiting list, in the order they signed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: String,
    pub persons: i32,
}

/// Who moves up when seats free: the waiting list in order, each one who
/// fits in what is left (a big household does not block a small one).
pub fn move_up(capacity: i32, taken: i32, waiting: &[Waiting]) -> Vec<String> {
    let mut taken = taken;
    let mut up = Vec::new();
    for w in waiting {
        if fits(capacity, taken, w.persons) {
            taken += w.persons;
            up.push(w.id.clone());
        }
    }
    up
}

/// One person at the event as the seating plan needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seat {
    pub name: String,
    pub persons: i32,
    pub ambassador: bool,
}

/// One table of the plan: an area and who sits there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The area's slug (`""`: no area).
    pub area: String,
    pub seats: Vec<Seat>,
    pub persons: i32,
}

/// Groups people by area: each area's newcomers with the ambassadors of
/// that area, ambassadors first; areas in the event's order, then the rest.
pub fn seating(order: &[String], people: &[(String, Seat)]) -> Vec<Table> {
    let mut by: BTreeMap<String, Vec<Seat>> = BTreeMap::new();
    for (area, seat) in people {
        by.entry(area.clone()).or_default().push(seat.clone());
    }
    let mut keys: Vec<String> = order.iter().filter(|a| by.contains_key(*a)).cloned().collect();
    keys.extend(by.keys().filter(|k| !order.contains(k)).cloned());
    keys.into_iter()
        .map(|area| {
            let mut seats = by.remove(&area).unwrap_or_default();
            seats.sort_by(|a, b| b.ambassador.cmp(&a.ambassador).then(a.name.cmp(&b.name)));
            let persons = seats.iter().map(|s| s.persons).sum();
            Table { area, seats, persons }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waiting_list_moves_up_in_order_as_far_as_seats_go() {
        assert!(fits(10, 6, 4) && !fits(10, 7, 4));
        let w = |id: &str, persons| Waiting { id: id.into(), persons };
        let list = [w("a", 3), w("b", 1), w("c", 1)];
        assert_eq!(move_up(10, 7, &list), ["a"]);
        assert_eq!(move_up(10, 8, &list), ["b", "c"], "a big household does not block a small one");
        assert!(move_up(10, 10, &list).is_empty());
    }

    #[test]
    fn the_plan_seats_newcomers_with_the_ambassadors_of_their_area() {
        let seat = |n: &str, amb| Seat { name: n.into(), persons: if amb { 1 } else { 3 }, ambassador: amb };
        let people = vec![
            ("stege".to_string(), seat("Familien Hansen", false)),
            ("bogoe".to_string(), seat("Familien Berg", false)),
            ("stege".to_string(), seat("Søren Ambassadør", true)),
            (String::new(), seat("Uden område", false)),
        ];
        let plan = seating(&["stege".into(), "bogoe".into()], &people);
        assert_eq!(plan.iter().map(|t| t.area.as_str()).collect::<Vec<_>>(), ["stege", "bogoe", ""]);
        assert_eq!(plan[0].seats[0].name, "Søren Ambassadør");
        assert_eq!(plan[0].persons, 4);
    }
}

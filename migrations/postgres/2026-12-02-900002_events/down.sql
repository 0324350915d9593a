DROP TABLE event_guests;
DROP TABLE events;

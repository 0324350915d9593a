# Words of the staff pages added with issue 12 (second part): the mover's
# language beside emailed text, reassigning cases, stand-ins, the visit
# cancellation's stage, the language switch that keeps what was typed, and
# the email preview.

## The mover's language beside every free-text field that is emailed
mover-reads-da = Sent to the mover in Danish: write the text in Danish.
mover-reads-en = Sent to the mover in English.

## Menu
base-nav-areas = Local areas

## Timeline: why a case changed hands
event-because-deactivated = the user was deactivated
event-because-away = stand-in during an absence
event-because-back = back after an absence

## Users page: what just happened
admin-done-deactivated = { $n ->
    [0] The user is deactivated. They had no open cases.
    [one] The user is deactivated, and 1 open case has moved.
   *[other] The user is deactivated, and { $n } open cases have moved.
}
admin-done-activated = The user is active again.
admin-done-away = { $n ->
    [one] The absence is recorded, and 1 open case is with the stand-in.
   *[other] The absence is recorded, and { $n } open cases are with the stand-in.
}
admin-done-back = { $n ->
    [one] The absence has ended, and 1 case has come back.
   *[other] The absence has ended, and { $n } cases have come back.
}
admin-away-with = Away, stand-in: { $name }
admin-covers = Stand-in for { $names }
admin-away-link = Absence and stand-in
admin-away-end-link = End absence
admin-open-count = { $n ->
    [one] 1 open case
   *[other] { $n } open cases
}

## Deactivating a user
deactivate-heading = Deactivate { $name }?
deactivate-lead = The user is signed out at once, and their API tokens and links stop working. New inquiries no longer go to them.
deactivate-back = Back to users
deactivate-hand-to = Who takes over the open cases ({ $n })?
deactivate-hand-to-hint = Each case gets an event on its timeline. Unassigned cases wait in the queue until a consultant takes them.
deactivate-choose = Choose …
deactivate-unassigned = Nobody – the cases become unassigned
deactivate-show-cases = { $n ->
    [one] Show the case
   *[other] Show the { $n } cases
}
deactivate-no-cases = The user has no open cases.

## Absence and stand-in (vikar)
away-heading = Absence and stand-in for { $name }
away-lead = While the consultant is away, their open cases and new inquiries that would have gone to them go to the stand-in. When the absence ends, the cases the stand-in still holds come back.
away-substitute = Stand-in
away-substitute-hint = { $n ->
    [0] The consultant has no open cases now; new inquiries go to the stand-in.
    [one] The open case goes to the stand-in now.
   *[other] The { $n } open cases go to the stand-in now.
}
away-start = Record the absence
away-now = { $name } is away. { $substitute } is standing in.
away-handed = { $n ->
    [one] 1 case has gone to the stand-in during the absence.
   *[other] { $n } cases have gone to the stand-in during the absence.
}
away-back-hint = The cases the stand-in still holds from the absence come back. Cases the stand-in passed on or closed stay where they are.
away-back = { $name } is back

## Refusals (named after the field they concern)
staffing-refusal-choose-hand-to = Who takes over the open cases: choose a consultant or “Nobody – the cases become unassigned”.
staffing-refusal-not-available = The person chosen cannot take over cases: choose an active consultant who is not away themselves.
staffing-refusal-not-yourself = You cannot deactivate yourself.
staffing-refusal-already-away = The consultant is already recorded as away.
staffing-refusal-is-stand-in = The consultant is standing in for someone else: end that absence first.
staffing-refusal-not-staff = Only consultants and admins hold cases and can have a stand-in.
staffing-refusal-choose-substitute = Stand-in: choose who takes over the cases.

## Cancelling a visit: the stage afterwards
cancel-visit-stage-legend = What does the cancellation mean for the case?
cancel-visit-stay = The case stays in Visit: a new visit will be planned
cancel-visit-back = The case goes back to Information: no visit is coming up
cancel-visit-note = Note for the timeline (optional)
cancel-visit-note-hint = For colleagues only. If the case goes back to Information without a note, "The visit is cancelled." is written.
cancel-visit-default-note = The visit is cancelled.
cancel-visit-choose-stage = What does the cancellation mean for the case: choose whether it stays in Visit or goes back to Information.

## The language switch that keeps what was typed
base-default-submit = Send

## The email preview
email-preview-as-mover = This is how the mover sees the email: in their language, with the case's details.
email-preview-plain = Show the plain-text version
case-preview-button = Preview the email
case-preview-heading = Preview: what the mover gets
case-preview-none = This action sends the mover no email.

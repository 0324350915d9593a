# Velkomst — English. Every word movers and staff see.

yes = Yes
no = No

## Forms and errors
form-error-summary = There is a problem with the form
form-error-title-prefix = Error:
error-required = This field is required.
error-too-long-200 = At most 200 characters.
error-too-long-4000 = At most 4000 characters.
error-too-long = Too long.
error-control-chars = Contains characters that cannot be used.
error-email-invalid = Enter a valid email address, e.g. name@example.com.
error-phone-invalid = A phone number may only contain digits, spaces and + - ( ).
error-choice-invalid = Choose one of the options.
error-number-invalid = Enter a whole number.
error-adults-range = The number of adults must be between 1 and 10.
error-children-too-many = At most 15 children can be listed.
error-birth-year-invalid = Enter the year of birth with four digits, e.g. 2019.
error-birth-year-range = The year of birth must be within the last 18 years.
error-campaign-invalid = The campaign code is not valid.
error-form-expired = The form has expired. Check the fields and send it again.
error-password-too-short = The password must be at least 12 characters.
error-password-mismatch = The two passwords are not the same.
error-email-taken = A user with that email address exists already.
error-unknown-field = Unknown field.
error-must-be-string = Must be a string.
error-must-be-integer = Must be a whole number.
error-must-be-integer-list = Must be a list of whole numbers.
error-must-be-string-list = Must be a list of strings.
error-must-be-bool = Must be true or false.
error-must-be-object = Must be a JSON object.
error-stage-invalid = Unknown stage.
error-outcome-invalid = Unknown outcome.
error-transition-shape = Give exactly one of to, close or reopen.

## Error pages
error-page-not-found = Page not found
error-page-forbidden = You do not have access to this page
error-page-csrf = The form has expired. Go back, reload the page and try again.
error-page-bad-request = The request could not be processed
error-page-too-large = The content is too large
error-page-rate-limited = We have received many inquiries from your connection. Please try again later.
error-page-unavailable = The service is temporarily unavailable. Please try again shortly.
error-page-internal = Something went wrong on our side. Please try again shortly.
error-page-correlation = Quote this code if you contact us:
error-page-home = Go to the front page

## The inquiry form
inquiry-title = Thinking of moving here?
inquiry-lead = Tell us a little about yourselves, and { $municipality }'s relocation consultant will help you on your way — with housing and building plots, daycare and schools, jobs and local life.
inquiry-honeypot = Do not fill in this field
inquiry-section-you = About you
inquiry-section-household = Your household
inquiry-section-wishes = Your wishes
inquiry-section-consent = Contact from local ambassadors
inquiry-privacy = { $municipality } uses this information to help you with your move and deletes it when the case is closed. You can always ask to see or delete it.
inquiry-submit = Send inquiry
field-name = Name
field-email = Email
field-email-hint = We send a receipt and our reply here.
field-phone = Phone
field-moving-from = Where are you moving from?
field-moving-from-hint = Town, municipality or country.
field-language = Which language should we write to you in?
field-adults = Number of adults
field-children = Children
field-children-hint = Enter the children's years of birth ({ $min }–{ $max }). Leave the fields empty if you have no children.
field-child-n = Child { $n }, year of birth
field-housing = Housing
field-timeframe = When do you plan to move?
field-areas = Which local areas interest you?
field-areas-hint = Choose as many as you like.
field-interests = What are you interested in?
field-job-help = I would like help finding a job for myself or my partner
field-message = Message
field-message-hint = Tell us more about your wishes and questions (at most 4000 characters).
field-ambassador-contact = A local ambassador may contact us
field-ambassador-contact-hint = Ambassadors are volunteers from local councils, associations and businesses who show newcomers around. They only get the information they need.
field-password = Password
field-new-password = New password
field-new-password-hint = At least 12 characters. A sentence is easy to remember and hard to guess.
field-password-again = Repeat the password
housing-buy = Buy a home
housing-rent = Rent a home
housing-build = Build on a plot
housing-undecided = Not decided yet
timeframe-0-6m = Within 6 months
timeframe-6-12m = In 6–12 months
timeframe-12mplus = In more than a year
timeframe-undecided = Not decided yet

## Receipt
receipt-title = Thank you for your inquiry
receipt-reference = Your case number is
receipt-next-heading = What happens next?
receipt-next = A relocation consultant from { $municipality } will contact you within two working days. You will also receive a receipt by email.
receipt-keep-reference = Keep the case number if you want to contact us about your inquiry.

## Login and set-up
login-title = Log in
login-submit = Log in
login-failed = Wrong email or password.
login-setup-done = Your password is saved. You can now log in.
setup-title = Choose a password
setup-first-admin-title = Create the first administrator
setup-first-admin-lead = There are no users yet. Create yourself as administrator; then you can add consultants.
setup-password-lead = Choose a password for { $name }.
setup-submit = Save

## The case queue
queue-title = Cases
queue-counts-label = Open cases per stage
queue-all-open = All open
queue-search = Search name, email or case number
queue-stage = Stage
queue-assignee = Assignee
queue-anyone = Anyone
queue-me = My cases
queue-unassigned = Unassigned
queue-area = Local area
queue-all-areas = All areas
queue-overdue = Only cases past the response goal
queue-filter = Show
queue-empty = No cases match.
queue-col-reference = Case no.
queue-col-name = Name
queue-col-stage = Stage
queue-col-areas = Areas
queue-col-assignee = Assignee
queue-col-waiting = Waiting since
queue-children = { $n ->
    [one] 1 child
   *[other] { $n } children
}
queue-overdue-badge = Overdue
queue-pages = Pages
queue-first-page = First page
queue-next-page = Next page
queue-bad-stage = Unknown stage in the filter; showing all open cases.
queue-bad-assignee = Unknown assignee in the filter; showing all open cases.
queue-bad-area = Unknown local area in the filter; showing all open cases.
queue-bad-q = The search text is too long; showing all open cases.
queue-bad-overdue = Invalid filter; showing all open cases.
queue-bad-after = That page no longer exists; showing the first page.
queue-bad-limit = Invalid page size; showing all open cases.

## Stages and outcomes
stage-information = Information
stage-visit = Visit
stage-move_in = Move-in
stage-welcome_package = Welcome package
stage-closed = Closed
outcome-welcomed = Welcomed
outcome-chose_elsewhere = Chose elsewhere
outcome-no_response = No response
outcome-withdrawn = Withdrawn
outcome-duplicate = Duplicate
outcome-spam = Spam

## The case
case-back-to-queue = ← Back to cases
case-awaiting-contact = Awaiting first contact
case-contact = Contact
case-household = Household and wishes
case-children-born = Children, year of birth
case-job-help = Wants job help
case-consent = Consent to ambassador contact
case-consent-yes = Yes, given with the inquiry
case-consent-no = No
case-campaign = Campaign
case-received = Received
case-timeline = Timeline
case-actions = Actions
case-move = Move the case
case-move-to = On to
case-step-back-to = Back to
case-skip-visit = skip the visit
case-close = Close the case
case-outcome = Outcome (when closing)
case-note = Note
case-note-hint = Required when moving the case back or reopening it.
case-save-move = Save
case-record-contact = Record first contact
case-reopen-note = Why is the case reopened?
case-reopen = Reopen the case
case-assignee = Assignee
case-assign = Assign
case-add-note = Add a note
case-save-note = Save note
case-choose-action = Choose what should happen to the case.
case-unknown-assignee = That assignee does not exist or is not active.
event-received = Inquiry received
event-assigned = Assigned
event-unassigned = Unassigned
event-first_contact = First contact
event-stage_changed = Stage changed
event-visit_skipped = Visit skipped
event-stepped_back = Moved back
event-closed = Closed
event-reopened = Reopened
event-note_added = Note
event-system = Velkomst

## Refusals from the pipeline
refusal-case-closed = The case is closed. Reopen it first.
refusal-already-there = The case is already in that stage.
refusal-not-forward = That stage is not ahead of the current one. Use "Back to" instead.
refusal-skips-a-stage = Only the visit may be skipped; move-in and welcome package cannot.
refusal-not-back = That stage is not behind the current one.
refusal-note-required = Write a note explaining the change.
refusal-not-closed = Only a closed case can be reopened.
refusal-welcomed-too-early = A case is closed as "welcomed" only from the welcome package stage.
refusal-not-a-stage = Close the case with an outcome instead.

## Administration
admin-users-title = Users
admin-areas-title = Responsibility for local areas
admin-areas-lead = New inquiries go to the consultant responsible for the first area the household chose. Otherwise they go to the active consultant with the fewest open cases.
admin-role = Role
admin-open-cases = Open cases
admin-status = Status
admin-active = Active
admin-inactive = Deactivated
admin-no-password = has not chosen a password
admin-deactivate = Deactivate
admin-activate = Reactivate
admin-add-user = Add user
admin-user-created = The user has been created
admin-hand-over-link = Give the user this one-time link to choose a password. It works for { $minutes } minutes.
admin-no-responsible = No one responsible
admin-save = Save

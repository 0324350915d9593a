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
error-page-conflict = The action does not fit the current state. Reload the page to see where things stand.
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
field-children-hint = Add a year of birth for each child under 18 ({ $min }–{ $max }). If you have no children, skip this.
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
receipt-next = A relocation consultant from { $municipality } will contact you within { $days ->
        [1] one working day
        [2] two working days
        [3] three working days
       *[other] { $days } working days
    }. You will also receive a receipt by email.
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
queue-campaign = Campaign
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
queue-bad-unknown = This filter is not known, so all open cases are shown:
queue-bad-campaign = A campaign is written in lower-case letters, digits, - and _; all open cases are shown.
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
case-timeline-filter = Show in the timeline
case-timeline-all = Everything
case-timeline-people = People's actions
case-timeline-emails = Emails
case-timeline-system = Automatic steps
case-timeline-newest-first = Newest first.
case-actions = Actions
case-move = Move the case
case-move-to = On to
case-step-back-to = Back to
case-skip-visit = skip the visit
case-close = Close the case
case-outcome = Outcome (only when closing the case)
case-outcome-choose = Choose an outcome
case-choose-outcome = Choose an outcome to close the case.
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

## Emails and follow-ups
case-mail-problem = An email to the mover could not be delivered. See the list of emails below, and reach the mover another way.
case-emails = Emails
case-no-emails = No emails yet.
case-scheduled = Scheduled follow-ups
case-info-pack = Information pack
case-info-pack-note = Personal greeting (optional)
case-info-pack-hint = The pack fits the household: children, jobs, building plots and the chosen areas. Sending it counts as first contact.
case-info-pack-send = Send information pack
case-visit-plan = Plan a visit
case-visit-planned = Visit planned
case-visit-date = Date
case-visit-time = Time
case-visit-minutes = Duration in minutes
case-visit-place = Meeting place
case-visit-note = Note to the mover (optional)
case-visit-send = Send invitation
case-visit-change = Send change
case-visit-cancel = Cancel the visit
case-move-in = Move-in
case-move-in-date = Move-in date
case-move-in-area = Local area
case-move-in-area-hint = The area goes into the welcome email. The family's own wishes are marked.
case-move-in-area-choose = Choose a local area
case-move-in-area-wished = the family's wish
error-move-in-area-required = Choose the local area the family is moving to.
case-move-in-save = Record move-in and send welcome
case-package = Welcome package
case-package-delivery = How does the package reach them?
case-package-delivered = It is delivered
case-package-collect = It is collected
case-package-details = Details for the mover (optional)
case-package-ready = The package is ready — tell them
case-write-email = Write an email to the mover
error-visit-date = Enter a valid date.
error-visit-time = Enter a time as hh:mm.
error-visit-minutes = The duration must be 15–480 minutes.
error-visit-place = Enter a meeting place (at most 200 characters).
error-visit-note = The note may be at most 2000 characters.
error-visit-past = The visit cannot be in the past.
error-move-in-date = Enter a valid move-in date.
error-visit-date-range = The visit must be within the next 5 years.
error-move-in-date-range = The move-in date must be between a year ago and 5 years ahead.
refusal-visit-not-now = A visit is planned while the case is in information or visit.
refusal-move-in-not-now = The move-in is recorded from information, visit or move-in.
event-email_queued = Email queued
event-email_sent = Email sent
event-email_failed = Email failed, will retry
event-email_dead = Email could not be delivered
event-visit_planned = Visit planned
event-visit_changed = Visit changed
event-visit_cancelled = Visit cancelled
event-move_in_recorded = Move-in recorded
event-followup_scheduled = Follow-up scheduled
event-followup_cancelled = Follow-up cancelled
followup-visit_offer = Offer of a visit
followup-visit_reminder = Visit reminder
followup-visit_thanks = Thank you for visiting
email-receipt = Receipt
email-consultant_notice = Notice to consultant
email-information_pack = Information pack
email-visit_invitation = Visit invitation
email-visit_update = Visit changed
email-visit_cancelled = Visit cancelled
email-visit_reminder = Visit reminder
email-visit_thanks = Thank you for visiting
email-welcome = Welcome
email-welcome_package = Welcome package
email-followup_visit_offer = Offer of a visit
email-digest = Daily digest
email-custom = Email from consultant
compose-title = Write an email
compose-back = ← Back to the case
compose-to = To
compose-hint = The mover's reply goes to you. The email is sent in the mover's language with the municipality's header and footer.
compose-subject = Subject
compose-body = Message
compose-preview = As the mover will see it
compose-preview-button = Preview
compose-send = Send
outbox-title = Outbox
outbox-status-pending = Pending
outbox-status-sending = Sending
outbox-status-sent = Sent
outbox-status-dead = Could not be delivered
outbox-empty = No emails here.
outbox-col-created = Created
outbox-col-case = Case
outbox-col-template = Template
outbox-col-recipient = Recipient
outbox-col-attempts = Attempts
outbox-col-sent = Sent
outbox-col-next = Next attempt
outbox-col-error = Error
outbox-retry = Retry
templates-title = Email templates
templates-lead = Each template shown with sample data before it is used.
templates-language = Language
templates-show = Show
templates-subject = Subject
templates-text = Text version
templates-html = HTML version (source)
queue-mail-problem = Email failed

templates-open-html = Open the HTML version as a page

## Ambassadors and referrals
base-nav-ambassadors = Ambassadors
base-nav-packages = Welcome packages
base-nav-my-referrals = My referrals
amb-title = Local ambassadors
amb-new = Register an ambassador
amb-form-title = Ambassador
amb-back = ← Back to the ambassadors
amb-none = No ambassadors match.
amb-organisation = Organisation
amb-kind = Kind
amb-kind-local_council = Local council
amb-kind-association = Association
amb-kind-business = Business
amb-kind-private = Private person
amb-areas = Local areas
amb-interests = Can help with
amb-interest = Interest
amb-all-interests = All interests
amb-open = Open referrals
amb-past = Past referrals
amb-paused = Paused
amb-pause = Pause (not suggested for new referrals)
ref-title = Referral to a local ambassador
ref-state-offered = Offered
ref-state-accepted = Accepted
ref-state-declined = Declined
ref-state-contacted = Contacted
ref-state-met = Met
ref-state-closed = Closed
ref-state-withdrawn = Withdrawn
ref-no-answer = no answer yet
ref-withdraw = Withdraw
ref-no-consent = The mover did not consent to contact from a local ambassador, so the case cannot be referred.
ref-no-ambassadors = There are no active ambassadors to refer to.
ref-held-open = The case is referred and waits for the ambassador. Withdraw the referral to refer it to someone else.
ref-suggested = Suggested ambassadors (best match first)
ref-open-count = { $n } open
ref-message = Message to the ambassador
ref-send = Send referral
ref-children-ages = Children's ages
ref-consultant = Consultant
ref-contact-after-accept = Contact details are shown once you accept.
ref-accept = Accept
ref-decline = Decline
ref-decline-reason = Why do you decline? (required)
ref-contacted = I have contacted the family
ref-met = We have met
ref-report = Short report
ref-report-hint = E.g. showed them around, invited them to an association.
ref-close = Close the referral
refusal-refer-no-consent = The mover did not consent to contact from a local ambassador.
refusal-refer-case-closed = The case is closed.
refusal-refer-no-such-ambassador = Choose an active ambassador.
refusal-refer-already = The ambassador already has an open referral for the case.
refusal-package-not-now = The welcome package is prepared in the move-in stage and delivered once prepared.
refusal-package-no-area = The case has no local area to take the package from. Record the move-in with an area.
refusal-package-no-ambassador = Choose an active ambassador to deliver the package.
error-referral-not-now = The referral cannot be changed like that now.
error-referral-reason-required = Write a short reason.
error-referral-report-required = Write a short report.
event-referral_offered = Referred to an ambassador
event-referral_accepted = The ambassador accepted
event-referral_declined = The ambassador declined
event-referral_contacted = The ambassador contacted the family
event-referral_met = The ambassador met the family
event-referral_closed = The referral is closed
event-referral_withdrawn = The referral was withdrawn
event-referral_reminded = Reminder sent to the ambassador
event-referral_flagged = No answer from the ambassador
event-package_prepared = Welcome package prepared
event-package_delivered = Welcome package delivered
email-referral_offer = Referral to ambassador
email-referral_reminder = Reminder to ambassador
email-referral_accepted = Ambassador accepted
pkg-title = Welcome packages
pkg-lead = What the package holds in each local area, and who normally delivers it.
pkg-items = Contents (one item per line)
pkg-deliverer = Normally delivered by
pkg-overdue = Packages prepared but not delivered
pkg-overdue-badge = Not delivered
pkg-method-ambassador = Delivered by an ambassador
pkg-method-local_council = Delivered by the local council
pkg-method-collected = Collected
pkg-ambassador = Ambassador
pkg-prepared = prepared
pkg-delivered = delivered
pkg-record-delivered = Record that the package was delivered
signin-title = Sign in as an ambassador
signin-lead = The link works once. Press to sign in and see the referral.
my-title = My referrals
my-none = You have no referrals yet.
my-back = ← My referrals
my-password = Choose a password (optional)
my-password-lead = You do not need a password — you can always sign in from the link in the email. With a password you can also log in at /login.
my-password-done = Your password is saved.
base-nav-outbox = Outbox
label-areas = Local areas
label-interests = Interests
label-timeframe = Plans to move
label-housing = Housing
label-moving-from = Moving from
label-language = Language
compose-start-from = Start from
compose-blank = Blank email
compose-use = Use
amb-held = Referrals
amb-held-none = No referrals yet.

## The mover's form: errors that name their field, children, character count
# $field (String) the field's name, e.g. "Name"
field-error-required = { $field } is required.
# $field (String) the field's name; $message (String) the error
field-error = { $field }: { $message }
error-field-name = Name
error-field-email = Email
error-field-phone = Phone
error-field-language = Language
error-field-moving_from = Where you are moving from
error-field-adults = Number of adults
error-field-children = Children
error-field-areas = Local areas
error-field-housing = Housing
error-field-timeframe = When you plan to move
error-field-interests = Interests
error-field-job_help = Help finding a job
error-field-message = Message
error-field-ambassador_contact = Contact from an ambassador
error-field-campaign = Campaign code
form-required-explained = Fields marked with * are required.
inquiry-add-child = Add a child
# $n (Number) the child's number
inquiry-remove-child = Remove child { $n }
char-count-left = You have { $n } characters left
char-count-over = You have { $n } characters too many
inquiry-already-sent-heading = You have already sent an inquiry
inquiry-already-sent = We have received it and will contact you. To add something, reply to the receipt email.
# $reference (String) the case number
inquiry-already-sent-link = See the receipt for { $reference }
receipt-again = We had already received your inquiry, so it was not sent again.
receipt-summary-heading = What you sent
receipt-summary-adults = Adults
receipt-summary-children = Children
receipt-summary-areas = Local areas
receipt-summary-housing = Housing
receipt-summary-timeframe = When you plan to move
receipt-summary-interests = Interests
receipt-summary-job-help = Help finding a job
receipt-summary-message = Message
receipt-summary-ambassador = May an ambassador contact you
receipt-summary-language = Language of our reply
receipt-summary-none = None chosen
receipt-yes = Yes
receipt-no = No
receipt-message-included = Yes, included in the inquiry
receipt-summary-contact-note = To protect your personal data, your name, email and phone are not shown here.
receipt-next-1 = You will receive a receipt by email with the case number.
# $municipality (String) the municipality's name; $days (Number) the response goal in working days
receipt-next-2 = A relocation consultant from { $municipality } will contact you within { $days ->
        [1] one working day
        [2] two working days
        [3] three working days
       *[other] { $days } working days
    }.
receipt-next-3 = The consultant will send information about the local areas and topics you chose, and is happy to offer a visit.

## Error pages and used links
error-page-home-staff = Go to the cases
error-page-home-ambassador = Go to your referrals
# $municipality (String) the municipality's name
error-page-contact = If you need help, contact { $municipality }:
link-used-heading = The link has been used or has expired
link-used-ambassador = A sign-in link works only once and for a limited time. If you have chosen a password, sign in with your email and the password. Otherwise you get a new link when the consultant refers a new family to you, or you can ask the consultant for one.

## Message after an action on the case (read out by screen readers)
flash-contact = First contact is recorded.
flash-moved = The case has been moved.
flash-email = The email is queued for sending.
flash-info-pack = The information pack is queued for sending.
flash-visit = The visit is saved, and the invitation is queued for sending.
flash-visit-cancelled = The visit is cancelled, and the mover will be told.
flash-move-in = The move-in is recorded, and the welcome email is queued.
flash-package = The welcome package is ready, and the mover will be told.
flash-package-delivered = The welcome package is recorded as delivered.
flash-referral = The referral has been sent to the ambassador.
flash-withdrawn = The referral has been withdrawn.
flash-assigned = The case handler is saved.
flash-note = The note is saved.
# $stage (String) the stage's name
flash-stage-now = The case is therefore now in the { $stage } stage.

## Confirmation before actions that cannot be undone
confirm-no = No, go back
confirm-cancel-visit-heading = Cancel the visit?
confirm-cancel-visit-question = The mover gets an email at once saying the visit is cancelled. This cannot be undone.
# $name (String) the ambassador's name
confirm-deactivate-heading = Deactivate { $name }?
confirm-deactivate-question = The ambassador is signed out at once, and every sign-in link stops working.
confirm-deactivate-referrals = The ambassador's open referrals are withdrawn to the consultant.
confirm-deactivate-undo = You can reactivate the ambassador later from the list; withdrawn referrals stay withdrawn.
amb-reactivate = Reactivate
case-same-email-heading = Possible duplicate
case-same-email = Another open case has the same email address. Check whether it is the same inquiry sent twice:
